-- Debtor care: statuses, promises to pay, disputes, payment plans, segments, conditions.

-- The status table per administration (defaults are inserted by the application on first use).
CREATE TABLE debtor_statuses (
  administration_id bigint NOT NULL REFERENCES administrations(id),
  key               text NOT NULL,
  label_nl          text NOT NULL,
  label_en          text NOT NULL,
  pauses_chase      boolean NOT NULL DEFAULT false,
  sort              integer NOT NULL DEFAULT 0,
  PRIMARY KEY (administration_id, key)
);

ALTER TABLE debtors ADD COLUMN tags text[] NOT NULL DEFAULT '{}';
ALTER TABLE debtors ADD COLUMN segment_reason text;
-- conditions agreed before extending credit (seed 001): references, agreed terms, checks done
ALTER TABLE debtors ADD COLUMN credit_notes text;

CREATE TABLE promises (
  id                bigserial PRIMARY KEY,
  administration_id bigint NOT NULL REFERENCES administrations(id),
  debtor_id         bigint NOT NULL REFERENCES debtors(id),
  amount_cents      bigint NOT NULL CHECK (amount_cents > 0),
  promised_date     date NOT NULL,
  -- empty: the promise covers all open items of the debtor
  item_ids          bigint[] NOT NULL DEFAULT '{}',
  grace_days        integer NOT NULL DEFAULT 3,
  status            text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'kept', 'broken', 'cancelled')),
  note              text,
  created_by        text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  resolved_at       timestamptz
);
CREATE INDEX promises_open ON promises (administration_id, status, promised_date);
CREATE INDEX promises_debtor ON promises (debtor_id);

CREATE TABLE dispute_reasons (
  administration_id bigint NOT NULL REFERENCES administrations(id),
  key               text NOT NULL,
  label_nl          text NOT NULL,
  label_en          text NOT NULL,
  PRIMARY KEY (administration_id, key)
);

CREATE TABLE disputes (
  id                bigserial PRIMARY KEY,
  administration_id bigint NOT NULL REFERENCES administrations(id),
  debtor_id         bigint NOT NULL REFERENCES debtors(id),
  reason            text NOT NULL,
  description       text,
  owner             text,
  deadline          date,
  status            text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  resolution        text CHECK (resolution IS NULL OR resolution IN ('credit_note', 'partial_credit', 'rejected', 'withdrawn')),
  resolution_note   text,
  created_by        text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  resolved_at       timestamptz
);
CREATE INDEX disputes_open ON disputes (administration_id, status, deadline);

CREATE TABLE dispute_items (
  dispute_id        bigint NOT NULL REFERENCES disputes(id),
  item_id           bigint NOT NULL REFERENCES items(id),
  PRIMARY KEY (dispute_id, item_id)
);
CREATE INDEX dispute_items_item ON dispute_items (item_id);

CREATE TABLE payment_plans (
  id                bigserial PRIMARY KEY,
  administration_id bigint NOT NULL REFERENCES administrations(id),
  debtor_id         bigint NOT NULL REFERENCES debtors(id),
  status            text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'completed', 'broken', 'cancelled')),
  total_cents       bigint NOT NULL,
  grace_days        integer NOT NULL DEFAULT 5,
  -- how statutory interest and costs are handled while the plan runs: 'waived' | 'added' | 'suspended'
  interest_policy   text NOT NULL DEFAULT 'suspended',
  note              text,
  document_id       bigint REFERENCES documents(id),
  created_by        text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  ended_at          timestamptz
);
CREATE INDEX payment_plans_debtor ON payment_plans (debtor_id, status);

CREATE TABLE payment_plan_items (
  plan_id           bigint NOT NULL REFERENCES payment_plans(id),
  item_id           bigint NOT NULL REFERENCES items(id),
  PRIMARY KEY (plan_id, item_id)
);

CREATE TABLE instalments (
  id                bigserial PRIMARY KEY,
  plan_id           bigint NOT NULL REFERENCES payment_plans(id),
  seq               integer NOT NULL,
  due_date          date NOT NULL,
  amount_cents      bigint NOT NULL CHECK (amount_cents > 0),
  paid_cents        bigint NOT NULL DEFAULT 0,
  status            text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'paid', 'missed')),
  UNIQUE (plan_id, seq)
);

-- Segments by rules on debtor data and behaviour; each may choose a dunning policy.
CREATE TABLE segments (
  administration_id bigint NOT NULL REFERENCES administrations(id),
  key               text NOT NULL,
  name              text NOT NULL,
  rules             jsonb NOT NULL DEFAULT '{}'::jsonb,
  policy_key        text,
  priority          integer NOT NULL DEFAULT 100,
  PRIMARY KEY (administration_id, key)
);
