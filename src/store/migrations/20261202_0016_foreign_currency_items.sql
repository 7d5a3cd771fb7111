-- Open items in another currency than EUR, found without reading every item: aging and dashboard
-- totals are per currency (the derived totals of 0006 add cents of every currency together, so the
-- other currencies are taken out of them and shown on their own). Usually few rows, often none.
CREATE INDEX items_open_foreign_currency ON items (administration_id, currency) WHERE open_cents <> 0 AND currency <> 'EUR';
