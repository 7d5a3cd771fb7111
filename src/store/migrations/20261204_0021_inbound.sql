-- Inbound mail (issue 16): the mailbox an administration's debtors reply to, every message read
-- from it (remembered by UIDVALIDITY + UID in the same transaction as its effects, so a crash
-- neither loses nor doubles one), the senders a person assigned to a debtor, and the e-mail
-- addresses a bounce showed to be undeliverable (the dunning run leaves them out: the next step
-- goes on paper).

CREATE TABLE inbound_mailboxes (
  id                 bigserial PRIMARY KEY,
  administration_id  bigint NOT NULL UNIQUE REFERENCES administrations(id),
  host               text NOT NULL CHECK (char_length(host) BETWEEN 1 AND 255),
  port               integer NOT NULL CHECK (port BETWEEN 1 AND 65535),
  tls                boolean NOT NULL DEFAULT true,
  username           text NOT NULL CHECK (char_length(username) BETWEEN 1 AND 255),
  -- never sent to a browser (store/inbound.ts returns only whether it is set)
  password           text NOT NULL,
  folder             text NOT NULL DEFAULT 'INBOX',
  processed_folder   text NOT NULL DEFAULT 'Vorder/verwerkt',
  enabled            boolean NOT NULL DEFAULT true,
  -- one reader at a time: a lease taken with a conditional UPDATE
  reader_until       timestamptz,
  reader             text,
  last_run_at        timestamptz,
  last_ok_at         timestamptz,
  last_error         text,
  last_error_at      timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (administration_id, id)
);
SELECT vorder_enable_tenant_rls('inbound_mailboxes');

CREATE TABLE inbound_messages (
  id                 bigserial PRIMARY KEY,
  administration_id  bigint NOT NULL REFERENCES administrations(id),
  mailbox_id         bigint NOT NULL,
  uidvalidity        bigint NOT NULL,
  uid                bigint NOT NULL,
  message_id         text,
  from_address       text,
  from_name          text,
  subject            text NOT NULL DEFAULT '',
  received_at        timestamptz NOT NULL,
  kind               text NOT NULL CHECK (kind IN ('reply', 'auto_reply', 'bounce')),
  debtor_id          bigint,
  resolved_by        text CHECK (resolved_by IN ('plus_address', 'thread', 'sender', 'reference', 'manual', 'outbox')),
  status             text NOT NULL DEFAULT 'unread' CHECK (status IN ('unread', 'read', 'assigned')),
  suggestions        jsonb NOT NULL DEFAULT '[]'::jsonb,
  -- what a person did with each suggestion: [{ index, kind, result, id, at, actor }]
  applied            jsonb NOT NULL DEFAULT '[]'::jsonb,
  text               text NOT NULL DEFAULT '',
  fresh_text         text NOT NULL DEFAULT '',
  quoted_text        text NOT NULL DEFAULT '',
  problems           text[] NOT NULL DEFAULT '{}',
  -- [{ documentId, filename, contentType, size }] or, above the size limit, [{ filename, contentType, size, dropped: true }]
  attachments        jsonb NOT NULL DEFAULT '[]'::jsonb,
  -- bounce: the report; auto-reply: why it is one
  details            jsonb NOT NULL DEFAULT '{}'::jsonb,
  dunning_action_id  bigint,
  created_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (mailbox_id, uidvalidity, uid),
  FOREIGN KEY (administration_id, mailbox_id) REFERENCES inbound_mailboxes (administration_id, id),
  FOREIGN KEY (administration_id, debtor_id) REFERENCES debtors (administration_id, id)
);
CREATE INDEX inbound_messages_debtor ON inbound_messages (administration_id, debtor_id, received_at DESC) WHERE debtor_id IS NOT NULL;
CREATE INDEX inbound_messages_unassigned ON inbound_messages (administration_id, received_at DESC) WHERE debtor_id IS NULL;
CREATE INDEX inbound_messages_unread ON inbound_messages (administration_id, debtor_id) WHERE status = 'unread';
SELECT vorder_enable_tenant_rls('inbound_messages');

-- A sender a person assigned to a debtor: the next message from that address goes there.
CREATE TABLE inbound_senders (
  administration_id  bigint NOT NULL REFERENCES administrations(id),
  address            text NOT NULL CHECK (address = lower(address)),
  debtor_id          bigint NOT NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  created_by         text,
  PRIMARY KEY (administration_id, address),
  FOREIGN KEY (administration_id, debtor_id) REFERENCES debtors (administration_id, id)
);
SELECT vorder_enable_tenant_rls('inbound_senders');

-- Addresses of the debtor that bounced (lower case): the run and "next step now" leave them out.
ALTER TABLE debtors ADD COLUMN undeliverable_emails text[] NOT NULL DEFAULT '{}';

-- Bounces and replies are matched to the message Vorder sent by its Message-ID.
CREATE INDEX dunning_actions_message_id ON dunning_actions (administration_id, lower(message_id)) WHERE message_id IS NOT NULL;
