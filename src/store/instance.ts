/** Settings of the installation itself (`instance_settings`): plain SQL. */
import type { Queryable } from './db.ts';

export async function getInstanceSetting(db: Queryable, key: string): Promise<string | null> {
  return (await db.query<{ value: string }>('SELECT value FROM instance_settings WHERE key = $1', [key]))[0]?.value ?? null;
}

export async function setInstanceSetting(db: Queryable, key: string, value: string | null): Promise<void> {
  if (value === null) await db.query('DELETE FROM instance_settings WHERE key = $1', [key]);
  else await db.query('INSERT INTO instance_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()', [key, value]);
}
