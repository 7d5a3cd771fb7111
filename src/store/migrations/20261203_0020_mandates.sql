-- SEPA direct debit mandates (issue 17). A mandate belongs to one debtor of the administration;
-- its id (kenmerk machtiging) is unique per creditor, i.e. per administration. `status` records
-- what a person did (active or revoked); "expired after 36 months unused" follows from the dates
-- and is computed on read (src/domain/sepa/mandate.ts), so it is never stale.
-- original_mandate_id / original_iban: set when the mandate id or IBAN changes, sent once as the
-- amendment (AmdmntInd + AmdmntInfDtls) in the next collection, then cleared.
CREATE TABLE mandates (
  id                   bigserial PRIMARY KEY,
  administration_id    bigint NOT NULL REFERENCES administrations(id),
  debtor_id            bigint NOT NULL,
  mandate_id           text NOT NULL CHECK (char_length(mandate_id) BETWEEN 1 AND 35),
  signature_date       date NOT NULL,
  iban                 text NOT NULL,
  bic                  text,
  scheme               text NOT NULL CHECK (scheme IN ('CORE', 'B2B')),
  recurring            boolean NOT NULL DEFAULT true,
  status               text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
  revoked_at           date,
  last_used_at         date,
  original_mandate_id  text,
  original_iban        text,
  created_at           timestamptz NOT NULL DEFAULT now(),
  UNIQUE (administration_id, mandate_id),
  UNIQUE (administration_id, id),
  FOREIGN KEY (administration_id, debtor_id) REFERENCES debtors (administration_id, id),
  CHECK ((status = 'revoked') = (revoked_at IS NOT NULL))
);
CREATE INDEX mandates_debtor ON mandates (administration_id, debtor_id);
SELECT vorder_enable_tenant_rls('mandates');

-- Collection batches: one pain.008 file handed to the bank. The file itself is kept (xml) so it can
-- be downloaded again; every collected item is a row with its EndToEndId (the key the bank sends
-- back in the batch credit and in R-transactions). An item is in at most one pending collection,
-- and while it is pending the dunning run leaves it alone (store/care.ts loadChaseGates).
CREATE TABLE collection_batches (
  id                 bigserial PRIMARY KEY,
  administration_id  bigint NOT NULL REFERENCES administrations(id),
  message_id         text NOT NULL CHECK (char_length(message_id) BETWEEN 1 AND 35),
  collection_date    date NOT NULL,
  format             text NOT NULL CHECK (format IN ('pain.008.001.08', 'pain.008.001.02')),
  tx_count           integer NOT NULL CHECK (tx_count >= 0),
  total_cents        bigint NOT NULL CHECK (total_cents >= 0),
  xml                text NOT NULL,
  created_by         text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (administration_id, message_id),
  UNIQUE (administration_id, id)
);
SELECT vorder_enable_tenant_rls('collection_batches');

CREATE TABLE collection_items (
  id                 bigserial PRIMARY KEY,
  administration_id  bigint NOT NULL REFERENCES administrations(id),
  batch_id           bigint NOT NULL,
  item_id            bigint NOT NULL REFERENCES items(id),
  mandate_id         bigint NOT NULL,
  end_to_end_id      text NOT NULL CHECK (char_length(end_to_end_id) BETWEEN 1 AND 35),
  payment_info_id    text NOT NULL,
  sequence_type      text NOT NULL CHECK (sequence_type IN ('FRST', 'RCUR', 'OOFF', 'FNAL')),
  amount_cents       bigint NOT NULL CHECK (amount_cents > 0),
  status             text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'settled', 'returned')),
  FOREIGN KEY (administration_id, batch_id) REFERENCES collection_batches (administration_id, id),
  FOREIGN KEY (administration_id, mandate_id) REFERENCES mandates (administration_id, id),
  UNIQUE (administration_id, end_to_end_id)
);
CREATE INDEX collection_items_batch ON collection_items (batch_id);
CREATE UNIQUE INDEX collection_items_pending ON collection_items (item_id) WHERE status = 'pending';
SELECT vorder_enable_tenant_rls('collection_items');
