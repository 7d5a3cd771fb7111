-- Refunds of credit balances (issue 17). A debtor whose items add up to a credit (an overpayment,
-- a credit note larger than what is open) gets a refund proposal; a second person approves it
-- (four-eyes; the `vorder` operator is trusted), approved refunds are written as one pain.001
-- file (kept in refund_exports), and the outgoing payment on a later statement (a debit with the
-- refund's EndToEndId) is booked against the credit balance.
CREATE TABLE refund_exports (
  id                 bigserial PRIMARY KEY,
  administration_id  bigint NOT NULL REFERENCES administrations(id),
  message_id         text NOT NULL CHECK (char_length(message_id) BETWEEN 1 AND 35),
  format             text NOT NULL CHECK (format IN ('pain.001.001.09', 'pain.001.001.03')),
  execution_date     date NOT NULL,
  tx_count           integer NOT NULL CHECK (tx_count > 0),
  total_cents        bigint NOT NULL CHECK (total_cents > 0),
  xml                text NOT NULL,
  created_by         text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (administration_id, message_id),
  UNIQUE (administration_id, id)
);
SELECT vorder_enable_tenant_rls('refund_exports');

CREATE TABLE refunds (
  id                 bigserial PRIMARY KEY,
  administration_id  bigint NOT NULL REFERENCES administrations(id),
  debtor_id          bigint NOT NULL,
  amount_cents       bigint NOT NULL CHECK (amount_cents > 0),
  iban               text NOT NULL,
  bic                text,
  end_to_end_id      text NOT NULL CHECK (char_length(end_to_end_id) BETWEEN 1 AND 35),
  status             text NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'approved', 'exported', 'paid', 'cancelled')),
  proposed_by        text NOT NULL,
  proposed_at        timestamptz NOT NULL DEFAULT now(),
  approved_by        text,
  approved_at        timestamptz,
  export_id          bigint,
  paid_line_id       bigint REFERENCES bank_lines(id),
  paid_booking_id    bigint REFERENCES bookings(id),
  paid_on            date,
  UNIQUE (administration_id, end_to_end_id),
  UNIQUE (administration_id, id),
  FOREIGN KEY (administration_id, debtor_id) REFERENCES debtors (administration_id, id),
  FOREIGN KEY (administration_id, export_id) REFERENCES refund_exports (administration_id, id),
  CHECK ((status IN ('approved', 'exported', 'paid')) = (approved_by IS NOT NULL) OR status = 'cancelled')
);
CREATE INDEX refunds_debtor ON refunds (administration_id, debtor_id);
-- One refund in progress per debtor.
CREATE UNIQUE INDEX refunds_open ON refunds (administration_id, debtor_id) WHERE status IN ('proposed', 'approved', 'exported');
SELECT vorder_enable_tenant_rls('refunds');
