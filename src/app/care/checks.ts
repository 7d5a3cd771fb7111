/** The nightly care checks (and on demand): promises, payment plans, segments, as of a date. */
import type { Db } from '../../store/db.ts';
import type { Administration } from '../../store/administrations.ts';
import { checkPromises } from './promises.ts';
import { checkPlans } from './plans.ts';
import { evaluateSegments } from './segments.ts';

export type CareCheckResult = { promisesKept: number; promisesBroken: number; instalmentsMissed: number; plansBroken: number; segmentsChanged: number };

export async function runCareChecks(db: Db, admin: Administration, asOf: string): Promise<CareCheckResult> {
  const p = await checkPromises(db, admin, asOf, 'system');
  const plans = await checkPlans(db, admin, asOf, 'system');
  const s = await evaluateSegments(db, admin, asOf);
  return { promisesKept: p.kept, promisesBroken: p.broken, instalmentsMissed: plans.instalmentsMissed, plansBroken: plans.broken, segmentsChanged: s.changed };
}
