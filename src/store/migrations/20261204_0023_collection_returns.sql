-- The SEPA return loop (issue 17). A bank statement settles or returns collected items by their
-- EndToEndId (or the batch's PmtInfId when the bank books the batch as one credit).
-- bank_lines keep what the reader found for it: the batch's PmtInfId, the bank's words with a
-- return (RtrInf/AddtlInf) and the charges the bank took (positive cents).
ALTER TABLE bank_lines ADD COLUMN payment_info_id text;
ALTER TABLE bank_lines ADD COLUMN return_info text;
ALTER TABLE bank_lines ADD COLUMN charges_cents bigint CHECK (charges_cents IS NULL OR charges_cents >= 0);

-- The outcome of each collected item: settled by a credit (booking and the amount that went to the
-- item; what the item no longer needed went to a credit-balance item), returned by an
-- R-transaction (reason code, its class, the action taken, the bank line), and the retry it got
-- (AM04: once). `retry_of` points at the returned collection a retry repeats.
ALTER TABLE collection_items ADD COLUMN settled_line_id bigint REFERENCES bank_lines(id);
ALTER TABLE collection_items ADD COLUMN settled_booking_id bigint REFERENCES bookings(id);
ALTER TABLE collection_items ADD COLUMN settled_cents bigint;
ALTER TABLE collection_items ADD COLUMN credit_item_id bigint REFERENCES items(id);
ALTER TABLE collection_items ADD COLUMN returned_line_id bigint REFERENCES bank_lines(id);
ALTER TABLE collection_items ADD COLUMN return_reason text;
ALTER TABLE collection_items ADD COLUMN return_kind text CHECK (return_kind IS NULL OR return_kind IN ('reject', 'return', 'reversal', 'refund', 'unauthorised'));
ALTER TABLE collection_items ADD COLUMN return_action text CHECK (return_action IS NULL OR return_action IN ('retry', 'mandate_ended', 'task'));
ALTER TABLE collection_items ADD COLUMN returned_on date;
ALTER TABLE collection_items ADD COLUMN retry_of bigint REFERENCES collection_items(id);
ALTER TABLE collection_items ADD CONSTRAINT collection_items_returned CHECK ((status = 'returned') = (return_reason IS NOT NULL));
CREATE INDEX collection_items_pmtinf ON collection_items (administration_id, payment_info_id);
CREATE INDEX collection_items_item ON collection_items (administration_id, item_id);

-- Why a mandate ended (a return reason such as MD01 or AC04), next to the person's revocation.
ALTER TABLE mandates ADD COLUMN end_reason text;

-- "Collect instead of remind" (incasseren in plaats van herinneren), per debtor or per segment:
-- while such a debtor has an active mandate, the dunning run leaves its invoices to the
-- collection (skip reason collect_by_mandate); an invoice whose collection came back is dunned.
ALTER TABLE debtors ADD COLUMN collect_instead_of_remind boolean NOT NULL DEFAULT false;
ALTER TABLE segments ADD COLUMN collect_instead_of_remind boolean NOT NULL DEFAULT false;
