-- The open-items ledger: administrations, debtors, items, bookings/allocations, timeline.
-- Money: bigint cents. Calendar dates: date. Instants: timestamptz.

CREATE TABLE administrations (
  id            bigserial PRIMARY KEY,
  name          text NOT NULL UNIQUE,
  legal_name    text,
  iban          text,
  bic           text,
  address_line  text,
  postal_code   text,
  city          text,
  country       text NOT NULL DEFAULT 'NL',
  kvk           text,
  vat_number    text,
  creditor_id   text,
  email         text,
  language      text NOT NULL DEFAULT 'nl' CHECK (language IN ('nl', 'en')),
  reference_kind text NOT NULL DEFAULT 'cur' CHECK (reference_kind IN ('cur', 'rf')),
  -- counter behind generated payment references (reserved in blocks, never reused)
  reference_counter bigint NOT NULL DEFAULT 0,
  settings      jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE debtors (
  id                 bigserial PRIMARY KEY,
  administration_id  bigint NOT NULL REFERENCES administrations(id),
  number             text NOT NULL,
  name               text NOT NULL,
  type               text NOT NULL DEFAULT 'business' CHECK (type IN ('business', 'consumer')),
  kvk                text,
  vat_number         text,
  emails             text[] NOT NULL DEFAULT '{}',
  phone              text,
  address_line       text,
  postal_code        text,
  city               text,
  country            text,
  language           text NOT NULL DEFAULT 'nl' CHECK (language IN ('nl', 'en')),
  payment_term_days  integer CHECK (payment_term_days IS NULL OR payment_term_days BETWEEN 0 AND 365),
  credit_limit_cents bigint CHECK (credit_limit_cents IS NULL OR credit_limit_cents >= 0),
  status             text NOT NULL DEFAULT 'normal',
  segment            text,
  on_hold            boolean NOT NULL DEFAULT false,
  hold_reason        text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (administration_id, number),
  UNIQUE (administration_id, id)
);
CREATE INDEX debtors_admin_name ON debtors (administration_id, lower(name));

-- Known bank accounts of a debtor (validated IBANs). source: import | manual | learned.
CREATE TABLE debtor_accounts (
  administration_id bigint NOT NULL REFERENCES administrations(id),
  debtor_id         bigint NOT NULL REFERENCES debtors(id),
  iban              text NOT NULL,
  source            text NOT NULL DEFAULT 'manual' CHECK (source IN ('import', 'manual', 'learned')),
  created_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (debtor_id, iban)
);
CREATE INDEX debtor_accounts_iban ON debtor_accounts (administration_id, iban);

-- Stored files: original UBL XML, PDFs of letters, uploaded statements.
CREATE TABLE documents (
  id                bigserial PRIMARY KEY,
  administration_id bigint NOT NULL REFERENCES administrations(id),
  filename          text NOT NULL,
  content_type      text NOT NULL,
  sha256            text NOT NULL,
  size              integer NOT NULL,
  content           bytea NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX documents_sha ON documents (administration_id, sha256);

-- Open items. amount_cents is signed: an invoice > 0, a credit note < 0, an unapplied
-- payment (credit balance from an overpayment) < 0. open_cents = amount_cents - sum(allocations),
-- kept by the trigger below in the same transaction, so it is never out of step.
CREATE TABLE items (
  id                bigserial PRIMARY KEY,
  administration_id bigint NOT NULL,
  debtor_id         bigint NOT NULL,
  kind              text NOT NULL CHECK (kind IN ('invoice', 'credit_note', 'unapplied_payment')),
  number            text NOT NULL,
  issue_date        date NOT NULL,
  due_date          date NOT NULL,
  amount_cents      bigint NOT NULL,
  currency          char(3) NOT NULL DEFAULT 'EUR',
  open_cents        bigint NOT NULL,
  description       text,
  payment_reference text,
  -- the invoice number reduced for matching (digit groups without leading zeros: 'F2026-00123' → '2026.123')
  number_key        text,
  on_hold           boolean NOT NULL DEFAULT false,
  hold_reason       text,
  document_id       bigint REFERENCES documents(id),
  source            text NOT NULL DEFAULT 'api',
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (administration_id, number),
  -- one composite key: the debtor exists AND belongs to the same administration (one check per row)
  FOREIGN KEY (administration_id, debtor_id) REFERENCES debtors (administration_id, id),
  CHECK ((kind = 'invoice' AND amount_cents >= 0) OR (kind <> 'invoice' AND amount_cents <= 0))
);
CREATE INDEX items_debtor ON items (debtor_id, due_date, id);
CREATE INDEX items_reference ON items (administration_id, payment_reference) WHERE payment_reference IS NOT NULL;
CREATE INDEX items_number_key ON items (administration_id, number_key);

-- A booking groups the allocations of one event (a bank payment, a credit note set against
-- invoices, a write-off, a manual settlement). Undoing a booking adds a reversing booking:
-- nothing is ever deleted.
CREATE TABLE bookings (
  id                bigserial PRIMARY KEY,
  administration_id bigint NOT NULL REFERENCES administrations(id),
  kind              text NOT NULL CHECK (kind IN ('bank', 'credit_note', 'write_off', 'manual', 'reversal')),
  date              date NOT NULL,
  status            text NOT NULL DEFAULT 'confirmed' CHECK (status IN ('auto', 'confirmed', 'reversed', 'reversal')),
  reverses_id       bigint REFERENCES bookings(id),
  bank_line_id      bigint,
  note              text,
  actor             text,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX bookings_one_reversal ON bookings (reverses_id) WHERE reverses_id IS NOT NULL;

CREATE TABLE allocations (
  id                bigserial PRIMARY KEY,
  administration_id bigint NOT NULL REFERENCES administrations(id),
  booking_id        bigint NOT NULL REFERENCES bookings(id),
  item_id           bigint NOT NULL REFERENCES items(id),
  -- signed: what this allocation takes off the item's open amount
  cents             bigint NOT NULL,
  date              date NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX allocations_item ON allocations (item_id);
CREATE INDEX allocations_booking ON allocations (booking_id);

CREATE FUNCTION vorder_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END $$;

-- One statement-level trigger keeps open amounts right for any number of allocations at once
-- (bulk bookings insert thousands in one statement).
CREATE FUNCTION vorder_allocations_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE items i SET open_cents = i.open_cents - n.total, updated_at = now()
    FROM (SELECT item_id, sum(cents) AS total FROM new_allocations GROUP BY item_id) n
   WHERE i.id = n.item_id;
  RETURN NULL;
END $$;
CREATE TRIGGER allocations_apply AFTER INSERT ON allocations REFERENCING NEW TABLE AS new_allocations
  FOR EACH STATEMENT EXECUTE FUNCTION vorder_allocations_apply();
CREATE TRIGGER allocations_append_only BEFORE UPDATE OR DELETE ON allocations
  FOR EACH ROW EXECUTE FUNCTION vorder_append_only();

-- The debtor's timeline (dossier): append-only.
CREATE TABLE events (
  id                bigserial PRIMARY KEY,
  administration_id bigint NOT NULL REFERENCES administrations(id),
  debtor_id         bigint REFERENCES debtors(id),
  item_id           bigint REFERENCES items(id),
  at                timestamptz NOT NULL DEFAULT now(),
  kind              text NOT NULL,
  summary           text NOT NULL,
  data              jsonb NOT NULL DEFAULT '{}'::jsonb,
  actor             text,
  document_id       bigint REFERENCES documents(id)
);
CREATE INDEX events_debtor ON events (debtor_id, at DESC, id DESC);
CREATE INDEX events_item ON events (item_id) WHERE item_id IS NOT NULL;

CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION vorder_append_only();

-- Every import of a file: re-importing the same bytes is recognised and changes nothing.
CREATE TABLE imports (
  id                bigserial PRIMARY KEY,
  administration_id bigint NOT NULL REFERENCES administrations(id),
  kind              text NOT NULL,
  filename          text NOT NULL,
  sha256            text NOT NULL,
  summary           jsonb NOT NULL DEFAULT '{}'::jsonb,
  actor             text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (administration_id, kind, sha256)
);
