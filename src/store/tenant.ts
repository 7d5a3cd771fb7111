/**
 * The second tenant wall: acting for one administration. `withAdministration` opens a transaction
 * in which the database itself confines every statement to that administration: the transaction
 * switches to the role `vorder_app` (neither superuser nor table owner, so row-level security
 * applies, migration 20261202_0010_rls.sql) and sets `vorder.administration_id`, which every
 * policy compares with the row's `administration_id`. A statement that forgot its filter still
 * sees and changes only this administration's rows; without the setting it sees none.
 *
 * Requests for a tenant route run in one such transaction (http/tenant.ts), as do the worker's
 * jobs and the overview across administrations, each explicitly per administration.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Db, Queryable, Tx } from './db.ts';

export const APP_ROLE = 'vorder_app';

let savepoints = 0;

/** A `Db` that runs everything inside the transaction `tx`; a nested `transaction` is a savepoint. */
function scopedDb(base: Db, tx: Tx, administrationId: number): Db & { readonly administrationId: number } {
  const q: Queryable = {
    query: (sql, params) => tx.query(sql, params),
    exec: (sql) => tx.exec(sql),
    async copyFrom(table, columns, csv) {
      // PGlite loads COPY data from a server-side file ('/dev/blob'), which only a superuser may
      // read: leave the role for this one statement (it targets a staging or child table).
      if (base.engine === 'pglite') {
        await tx.exec('RESET ROLE');
        try {
          await tx.copyFrom(table, columns, csv);
        } finally {
          await tx.exec(`SET LOCAL ROLE ${APP_ROLE}`);
        }
      } else await tx.copyFrom(table, columns, csv);
    },
  };
  return {
    engine: base.engine,
    administrationId,
    ...q,
    async transaction<T>(fn: (t: Tx) => Promise<T>): Promise<T> {
      const name = `vorder_sp_${++savepoints}`;
      await tx.exec(`SAVEPOINT ${name}`);
      try {
        const r = await fn({ ...q, inTransaction: true });
        await tx.exec(`RELEASE SAVEPOINT ${name}`);
        return r;
      } catch (e) {
        await tx.exec(`ROLLBACK TO SAVEPOINT ${name}`).catch(() => undefined);
        throw e;
      }
    },
    close: async () => undefined,
  };
}

/** Thrown inside `withAdministration` to roll its transaction back while still returning a value. */
export class Rollback<T> extends Error {
  constructor(readonly value: T) {
    super('rollback');
  }
}

/**
 * The one way to act for an administration: `fn` gets a `Db` confined to it (row-level security
 * as `vorder_app`). Everything `fn` does commits or rolls back together; throw `Rollback` to roll
 * back and return its value.
 */
export async function withAdministration<T>(db: Db, administrationId: number, fn: (db: Db) => Promise<T>): Promise<T> {
  if (!Number.isSafeInteger(administrationId) || administrationId < 1) throw new Error(`not an administration id: ${administrationId}`);
  try {
    return await db.transaction(async (tx) => {
      await tx.exec(`SET LOCAL ROLE ${APP_ROLE}`);
      await tx.query(`SELECT set_config('vorder.administration_id', $1, true)`, [String(administrationId)]);
      return fn(scopedDb(db, tx, administrationId));
    });
  } catch (e) {
    if (e instanceof Rollback) return e.value as T;
    throw e;
  }
}

// ------------------------------------------------------------------ the request's scope

const current = new AsyncLocalStorage<Db>();

/** Run `fn` with `scope` as the database of everything `requestDb` hands out meanwhile. */
export const runScoped = <T>(scope: Db, fn: () => Promise<T>): Promise<T> => current.run(scope, fn);

/**
 * The database handle of the routes: inside a request for a tenant route it is that request's
 * transaction (confined to the administration); elsewhere the base handle.
 */
export function requestDb(base: Db): Db {
  const now = () => current.getStore() ?? base;
  return {
    get engine() {
      return base.engine;
    },
    get pglite() {
      return current.getStore() ? undefined : base.pglite;
    },
    query: (sql, params) => now().query(sql, params),
    exec: (sql) => now().exec(sql),
    copyFrom: (table, columns, csv) => now().copyFrom(table, columns, csv),
    transaction: (fn) => now().transaction(fn),
    close: () => base.close(),
  } as Db;
}
