-- Bank statements, their lines, and matching (suggestions, rejections).

CREATE TABLE bank_accounts (
  id                 bigserial PRIMARY KEY,
  administration_id  bigint NOT NULL REFERENCES administrations(id),
  iban               text,
  account_id         text,
  currency           text,
  -- the last known closing balance, to report gaps between statements
  last_closing_date  date,
  last_closing_cents bigint,
  last_import_at     timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (administration_id, iban),
  UNIQUE (administration_id, id)
);
CREATE INDEX bank_accounts_iban ON bank_accounts (iban);

CREATE TABLE bank_statements (
  id                bigserial PRIMARY KEY,
  administration_id bigint NOT NULL REFERENCES administrations(id),
  bank_account_id   bigint NOT NULL REFERENCES bank_accounts(id),
  filename          text NOT NULL,
  sha256            text NOT NULL,
  format            text NOT NULL,
  statement_ref     text,
  opening_date      date,
  opening_cents     bigint,
  closing_date      date,
  closing_cents     bigint,
  entries           integer NOT NULL,
  new_entries       integer NOT NULL,
  warnings          jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bank_statements_admin ON bank_statements (administration_id, created_at DESC);

-- One payment as it is matched. entry_key makes every bank entry count once, whatever file
-- (or overlapping files) it arrives in.
CREATE TABLE bank_lines (
  id                    bigserial PRIMARY KEY,
  administration_id     bigint NOT NULL,
  bank_account_id       bigint NOT NULL,
  statement_id          bigint NOT NULL REFERENCES bank_statements(id),
  entry_key             text NOT NULL,
  entry_ref             text,
  tx_index              integer NOT NULL DEFAULT 0,
  tx_count              integer NOT NULL DEFAULT 1,
  booking_date          date NOT NULL,
  value_date            date,
  cents                 bigint NOT NULL,
  currency              text NOT NULL,
  reversal              boolean NOT NULL DEFAULT false,
  counterparty_name     text,
  counterparty_iban     text,
  counterparty_bic      text,
  structured_ref        text,
  structured_ref_issuer text,
  end_to_end_id         text,
  mandate_id            text,
  remittance            text NOT NULL DEFAULT '',
  bank_code             text,
  return_reason         text,
  info                  text,
  -- unmatched: nothing found; suggested: waiting for review; auto/confirmed: booked; ignored: not a debtor payment
  status                text NOT NULL DEFAULT 'unmatched' CHECK (status IN ('unmatched', 'suggested', 'auto', 'confirmed', 'ignored')),
  booking_id            bigint REFERENCES bookings(id),
  created_at            timestamptz NOT NULL DEFAULT now(),
  UNIQUE (bank_account_id, entry_key),
  FOREIGN KEY (administration_id, bank_account_id) REFERENCES bank_accounts (administration_id, id)
);
CREATE INDEX bank_lines_status ON bank_lines (administration_id, status, booking_date);
CREATE INDEX bank_lines_e2e ON bank_lines (administration_id, end_to_end_id) WHERE end_to_end_id IS NOT NULL;

ALTER TABLE bookings ADD CONSTRAINT bookings_bank_line FOREIGN KEY (bank_line_id) REFERENCES bank_lines(id);

CREATE TABLE match_suggestions (
  id                  bigserial PRIMARY KEY,
  administration_id   bigint NOT NULL REFERENCES administrations(id),
  bank_line_id        bigint NOT NULL REFERENCES bank_lines(id),
  rank                integer NOT NULL,
  kind                text NOT NULL,
  confidence          integer NOT NULL,
  debtor_id           bigint REFERENCES debtors(id),
  allocations         jsonb NOT NULL,
  credit_cents        bigint NOT NULL DEFAULT 0,
  reverses_booking_id bigint REFERENCES bookings(id),
  signals             jsonb NOT NULL DEFAULT '[]'::jsonb,
  status              text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'rejected', 'superseded')),
  created_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX match_suggestions_line ON match_suggestions (bank_line_id, rank);

-- What a user said is NOT a match: never proposed again. pattern = the payer's IBAN, else the normalised name.
CREATE TABLE match_rejections (
  administration_id bigint NOT NULL REFERENCES administrations(id),
  pattern           text NOT NULL,
  item_id           bigint NOT NULL REFERENCES items(id),
  created_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (administration_id, pattern, item_id)
);
