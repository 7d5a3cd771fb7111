-- The open amount has one owner: the database. Allocations lower it (vorder_allocations_apply,
-- migration 0001); these two triggers cover the rest, so no application code computes it:
--  * a new item has nothing allocated yet: open = amount, whatever the INSERT said (bulk imports
--    may pass amount_cents for open_cents as well: then the WHEN clause is false and no function
--    runs, which keeps a million-row import as fast as before);
--  * an amount change moves the open amount by the same difference (what was allocated stays).
CREATE FUNCTION vorder_items_open_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.open_cents := NEW.amount_cents;
  RETURN NEW;
END $$;

CREATE TRIGGER items_open_on_insert BEFORE INSERT ON items
  FOR EACH ROW WHEN (NEW.open_cents IS DISTINCT FROM NEW.amount_cents) EXECUTE FUNCTION vorder_items_open_on_insert();

CREATE FUNCTION vorder_items_open_on_amount() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.open_cents := OLD.open_cents + (NEW.amount_cents - OLD.amount_cents);
  RETURN NEW;
END $$;

CREATE TRIGGER items_open_on_amount BEFORE UPDATE OF amount_cents ON items
  FOR EACH ROW WHEN (NEW.amount_cents IS DISTINCT FROM OLD.amount_cents) EXECUTE FUNCTION vorder_items_open_on_amount();
