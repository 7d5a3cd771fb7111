-- The second tenant wall: row-level security on every table that carries administration_id.
-- The application acts for an administration as the role vorder_app (NOLOGIN, neither superuser
-- nor owner of any table, so the policies apply to it) after setting vorder.administration_id in
-- the same transaction (src/store/tenant.ts). Without the setting a query sees no rows.
-- The owner (migrations, the CLI, the login gate) is not subject to the policies.

-- The role is cluster-wide: create it once (several databases, several processes may race).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vorder_app') THEN
    BEGIN
      CREATE ROLE vorder_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
  END IF;
  -- the connecting role must be able to switch to it (a superuser always can)
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    EXECUTE format('GRANT vorder_app TO %I', current_user);
  END IF;
END $$;

GRANT USAGE ON SCHEMA public TO vorder_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO vorder_app;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO vorder_app;
-- tables and sequences that later migrations create (by the same owner) get the same grants
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO vorder_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO vorder_app;

-- The administration a transaction acts for; NULL (no row matches) when none is set.
CREATE FUNCTION vorder_current_administration() RETURNS bigint
LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('vorder.administration_id', true), '')::bigint $$;

-- Later migrations call this for every new table with administration_id:
--   SELECT vorder_enable_tenant_rls('new_table');
-- (test/store/rls.test.ts fails for a table that has the column and no policy).
CREATE FUNCTION vorder_enable_tenant_rls(tbl regclass) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('DROP POLICY IF EXISTS tenant ON %s', tbl);
  EXECUTE format('CREATE POLICY tenant ON %s USING (administration_id = vorder_current_administration()) WITH CHECK (administration_id = vorder_current_administration())', tbl);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO vorder_app', tbl);
END $$;

DO $$
DECLARE t regclass;
BEGIN
  FOR t IN
    SELECT c.oid::regclass FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'administration_id' AND NOT a.attisdropped
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
     ORDER BY c.relname
  LOOP
    PERFORM vorder_enable_tenant_rls(t);
  END LOOP;
END $$;
