-- Payments through a payment service provider (Mollie): made when the debtor clicks "pay", for
-- the amount open at that moment, and booked once from what the provider says (webhook → GET).
-- booked_cents is what Vorder has booked for it so far (paid − refunded − charged back): every
-- webhook books only the difference, under a row lock, so ten identical webhooks book once.
CREATE TABLE psp_payments (
  id                 bigserial PRIMARY KEY,
  administration_id  bigint NOT NULL REFERENCES administrations(id),
  provider           text NOT NULL DEFAULT 'mollie',
  payment_id         text NOT NULL,
  debtor_id          bigint NOT NULL,
  link_id            bigint REFERENCES portal_links(id),
  amount_cents       bigint NOT NULL CHECK (amount_cents > 0),
  currency           char(3) NOT NULL DEFAULT 'EUR',
  -- [{ "itemId": 1, "cents": 100 }]: what the amount was for when it was made
  items              jsonb NOT NULL,
  status             text NOT NULL DEFAULT 'open',
  mode               text NOT NULL DEFAULT 'test',
  booked_cents       bigint NOT NULL DEFAULT 0,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (provider, payment_id),
  FOREIGN KEY (administration_id, debtor_id) REFERENCES debtors (administration_id, id)
);
CREATE INDEX psp_payments_debtor ON psp_payments (administration_id, debtor_id, id DESC);
SELECT vorder_enable_tenant_rls('psp_payments');

-- a booking from the payment provider (source psp), and which payment it belongs to
ALTER TABLE bookings DROP CONSTRAINT bookings_kind_check;
ALTER TABLE bookings ADD CONSTRAINT bookings_kind_check CHECK (kind IN ('bank', 'credit_note', 'write_off', 'manual', 'reversal', 'psp'));
ALTER TABLE bookings ADD COLUMN psp_payment_id bigint REFERENCES psp_payments(id);

-- a bank entry that is the provider's payout (settlement) of payments booked already: never matched to invoices
ALTER TABLE bank_lines ADD COLUMN psp_settlement text;

-- the portal's rate limit per source, shared by every server process
ALTER TABLE throttles DROP CONSTRAINT throttles_kind_check;
ALTER TABLE throttles ADD CONSTRAINT throttles_kind_check CHECK (kind IN ('source', 'source_failure', 'account_source', 'portal'));
