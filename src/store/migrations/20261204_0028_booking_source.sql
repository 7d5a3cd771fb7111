-- Where a settlement came from: NULL for Vorder's own bookings, the package ('moneybird', 'exact',
-- 'yuki') when an item was paid or credited there and the sync settled it here (issue 20).
ALTER TABLE bookings ADD COLUMN source text;
