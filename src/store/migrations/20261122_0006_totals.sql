-- Derived totals, so that screens and reports over 1,000,000 items read a few rows instead of
-- summing every item per request. They are kept by statement-level triggers in the same
-- transaction as the change (never out of step, one grouped pass per statement however many rows
-- it touches) and can always be rebuilt from the items and allocations: vorder_rebuild_totals().
--
--   debtor_totals      one row per debtor: balance, positive open amount, open items, oldest due date
--   open_by_due_date   per administration and due date: what is open (aging, overdue, expected cash in)
--   ledger_days        per administration and calendar day: issued, invoiced, allocated (DSO trend)

CREATE TABLE debtor_totals (
  debtor_id         bigint PRIMARY KEY, -- no foreign key: derived, written 100,000 at a time
  administration_id bigint NOT NULL,
  open_cents        bigint NOT NULL DEFAULT 0,  -- the balance: credit notes and credit balances count negative
  positive_cents    bigint NOT NULL DEFAULT 0,  -- the positive open amounts: what can fall overdue
  open_items        integer NOT NULL DEFAULT 0, -- items with an open amount
  oldest_due        date                        -- the earliest due date of an item with a positive open amount
);
CREATE INDEX debtor_totals_balance ON debtor_totals (administration_id, open_cents DESC, debtor_id);
CREATE INDEX debtor_totals_positive ON debtor_totals (administration_id, positive_cents DESC, debtor_id);

CREATE TABLE open_by_due_date (
  administration_id bigint NOT NULL,
  due_date          date NOT NULL,
  open_cents        bigint NOT NULL DEFAULT 0,
  positive_cents    bigint NOT NULL DEFAULT 0,
  open_items        integer NOT NULL DEFAULT 0,
  positive_items    integer NOT NULL DEFAULT 0,
  PRIMARY KEY (administration_id, due_date)
);

CREATE TABLE ledger_days (
  administration_id bigint NOT NULL,
  date              date NOT NULL,
  issued_cents      bigint NOT NULL DEFAULT 0, -- every item by its issue date (credit notes negative)
  invoiced_cents    bigint NOT NULL DEFAULT 0, -- invoices only
  allocated_cents   bigint NOT NULL DEFAULT 0, -- allocations by their date (payments, credit notes set off, write-offs)
  PRIMARY KEY (administration_id, date)
);

-- Every debtor has its row from the start (a list sorted by balance needs no outer join).
CREATE FUNCTION vorder_debtors_totals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO debtor_totals (debtor_id, administration_id) SELECT id, administration_id FROM new_debtors ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER debtors_totals AFTER INSERT ON debtors REFERENCING NEW TABLE AS new_debtors
  FOR EACH STATEMENT EXECUTE FUNCTION vorder_debtors_totals();

-- The contributions of changed items: the old rows subtracted (sgn −1), the new ones added (+1),
-- applied to the three tables in one statement. The oldest due date only moves earlier by adding;
-- when an open item leaves (paid, moved, changed), that debtor's oldest due date is looked up again
-- in its own items (the items_debtor index). '-infinity' in the proposed row means "look it up".
-- Each trigger passes its own SELECT over its transition tables (they are visible to EXECUTE).
CREATE FUNCTION vorder_item_totals_sql(contributions text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
SELECT format($q$
WITH c (administration_id, debtor_id, kind, issue_date, due_date, amount_cents, open_cents, sgn) AS MATERIALIZED (%s),
debtors_done AS (
  INSERT INTO debtor_totals AS t (debtor_id, administration_id, open_cents, positive_cents, open_items, oldest_due)
  SELECT debtor_id, min(administration_id), sum(sgn * open_cents), sum(sgn * greatest(open_cents, 0)), sum(sgn * (open_cents <> 0)::int),
         CASE WHEN bool_or(sgn < 0 AND open_cents > 0) THEN '-infinity'::date ELSE min(due_date) FILTER (WHERE sgn > 0 AND open_cents > 0) END
    FROM c GROUP BY debtor_id ORDER BY debtor_id
  ON CONFLICT (debtor_id) DO UPDATE SET
    open_cents = t.open_cents + EXCLUDED.open_cents,
    positive_cents = t.positive_cents + EXCLUDED.positive_cents,
    open_items = t.open_items + EXCLUDED.open_items,
    oldest_due = CASE WHEN EXCLUDED.oldest_due = '-infinity'::date
                      THEN (SELECT min(i.due_date) FROM items i WHERE i.debtor_id = t.debtor_id AND i.open_cents > 0)
                      ELSE least(t.oldest_due, EXCLUDED.oldest_due) END
  RETURNING 1),
due_done AS (
  INSERT INTO open_by_due_date AS t (administration_id, due_date, open_cents, positive_cents, open_items, positive_items)
  SELECT administration_id, due_date, sum(sgn * open_cents), sum(sgn * greatest(open_cents, 0)), sum(sgn * (open_cents <> 0)::int), sum(sgn * (open_cents > 0)::int)
    FROM c GROUP BY 1, 2 ORDER BY 1, 2
  ON CONFLICT (administration_id, due_date) DO UPDATE SET
    open_cents = t.open_cents + EXCLUDED.open_cents, positive_cents = t.positive_cents + EXCLUDED.positive_cents,
    open_items = t.open_items + EXCLUDED.open_items, positive_items = t.positive_items + EXCLUDED.positive_items
  RETURNING 1)
INSERT INTO ledger_days AS t (administration_id, date, issued_cents, invoiced_cents)
SELECT administration_id, issue_date, sum(sgn * amount_cents), coalesce(sum(sgn * amount_cents) FILTER (WHERE kind = 'invoice'), 0)
  FROM c GROUP BY 1, 2 ORDER BY 1, 2
ON CONFLICT (administration_id, date) DO UPDATE SET
  issued_cents = t.issued_cents + EXCLUDED.issued_cents, invoiced_cents = t.invoiced_cents + EXCLUDED.invoiced_cents
$q$, contributions)
$f$;

CREATE FUNCTION vorder_items_totals_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE vorder_item_totals_sql('SELECT administration_id, debtor_id, kind, issue_date, due_date, amount_cents, open_cents, 1 FROM new_items');
  RETURN NULL;
END $$;

CREATE FUNCTION vorder_items_totals_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE vorder_item_totals_sql($c$
    SELECT x.* FROM old_items o JOIN new_items n ON n.id = o.id
     CROSS JOIN LATERAL (VALUES (o.administration_id, o.debtor_id, o.kind, o.issue_date, o.due_date, o.amount_cents, o.open_cents, -1),
                                (n.administration_id, n.debtor_id, n.kind, n.issue_date, n.due_date, n.amount_cents, n.open_cents, 1)) x
     WHERE (o.open_cents, o.amount_cents, o.due_date, o.issue_date, o.debtor_id, o.kind) IS DISTINCT FROM (n.open_cents, n.amount_cents, n.due_date, n.issue_date, n.debtor_id, n.kind)$c$);
  RETURN NULL;
END $$;

CREATE FUNCTION vorder_items_totals_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE vorder_item_totals_sql('SELECT administration_id, debtor_id, kind, issue_date, due_date, amount_cents, open_cents, -1 FROM old_items');
  RETURN NULL;
END $$;

CREATE TRIGGER items_totals_insert AFTER INSERT ON items REFERENCING NEW TABLE AS new_items
  FOR EACH STATEMENT EXECUTE FUNCTION vorder_items_totals_insert();
CREATE TRIGGER items_totals_update AFTER UPDATE ON items REFERENCING OLD TABLE AS old_items NEW TABLE AS new_items
  FOR EACH STATEMENT EXECUTE FUNCTION vorder_items_totals_update();
CREATE TRIGGER items_totals_delete AFTER DELETE ON items REFERENCING OLD TABLE AS old_items
  FOR EACH STATEMENT EXECUTE FUNCTION vorder_items_totals_delete();

-- Allocations by date, beside the open amounts they already keep.
CREATE FUNCTION vorder_allocations_days() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO ledger_days AS t (administration_id, date, allocated_cents)
  SELECT administration_id, date, sum(cents) FROM new_allocations GROUP BY 1, 2 ORDER BY 1, 2
  ON CONFLICT (administration_id, date) DO UPDATE SET allocated_cents = t.allocated_cents + EXCLUDED.allocated_cents;
  RETURN NULL;
END $$;
CREATE TRIGGER allocations_days AFTER INSERT ON allocations REFERENCING NEW TABLE AS new_allocations
  FOR EACH STATEMENT EXECUTE FUNCTION vorder_allocations_days();

-- Rebuild every derived total from the items and allocations (also the backfill of this migration).
CREATE FUNCTION vorder_rebuild_totals() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM debtor_totals;
  DELETE FROM open_by_due_date;
  DELETE FROM ledger_days;
  INSERT INTO debtor_totals (debtor_id, administration_id, open_cents, positive_cents, open_items, oldest_due)
  SELECT d.id, d.administration_id, coalesce(sum(i.open_cents), 0), coalesce(sum(greatest(i.open_cents, 0)), 0), count(i.id) FILTER (WHERE i.open_cents <> 0),
         min(i.due_date) FILTER (WHERE i.open_cents > 0)
    FROM debtors d LEFT JOIN items i ON i.debtor_id = d.id GROUP BY d.id;
  INSERT INTO open_by_due_date (administration_id, due_date, open_cents, positive_cents, open_items, positive_items)
  SELECT administration_id, due_date, sum(open_cents), sum(greatest(open_cents, 0)), count(*) FILTER (WHERE open_cents <> 0), count(*) FILTER (WHERE open_cents > 0)
    FROM items GROUP BY 1, 2;
  INSERT INTO ledger_days (administration_id, date, issued_cents, invoiced_cents, allocated_cents)
  SELECT administration_id, date, sum(issued), sum(invoiced), sum(allocated) FROM (
    SELECT administration_id, issue_date AS date, amount_cents AS issued, CASE WHEN kind = 'invoice' THEN amount_cents ELSE 0 END AS invoiced, 0 AS allocated FROM items
    UNION ALL
    SELECT administration_id, date, 0, 0, cents FROM allocations) x
   GROUP BY 1, 2;
END $$;
SELECT vorder_rebuild_totals();

-- The open items in due-date order (the items list, overdue first) and items on hold (the dashboard).
CREATE INDEX items_open_due ON items (administration_id, due_date, id) WHERE open_cents <> 0;
CREATE INDEX items_on_hold ON items (administration_id) WHERE on_hold;
