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
