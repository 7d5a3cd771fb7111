/**
 * The dunning gate for package data: a run never chases an item that may have been paid in the
 * accounting package since the last sync. A connection whose last good sync is older than the
 * administration's limit (settings.packageStaleAfterHours, default 24), or that never finished
 * one, blocks the run like stale bank data does; so does a refused snapshot waiting for a person.
 * Paused connections do not count (a person chose that). Pure.
 */
type Bilingual = { readonly nl: string; readonly en: string };

export type PackageDataAge = { readonly name: string; readonly ageHours: number | null; readonly maxHours: number; readonly paused?: boolean; readonly review?: boolean };

export function packageBlocks(conns: readonly PackageDataAge[]): { reason: 'stale_package_data'; message: Bilingual }[] {
  const out: { reason: 'stale_package_data'; message: Bilingual }[] = [];
  for (const c of conns) {
    if (c.paused) continue;
    if (c.review)
      out.push({ reason: 'stale_package_data', message: { nl: `De laatste synchronisatie met ${c.name} wacht op een beslissing (te veel posten zouden sluiten).`, en: `The last sync with ${c.name} waits for a decision (too many items would close).` } });
    else if (c.ageHours === null)
      out.push({ reason: 'stale_package_data', message: { nl: `${c.name} is nog niet volledig gesynchroniseerd: wat daar betaald is, is hier nog onbekend.`, en: `${c.name} has not finished a sync yet: what was paid there is unknown here.` } });
    else if (c.ageHours >= c.maxHours)
      out.push({ reason: 'stale_package_data', message: { nl: `De gegevens uit ${c.name} zijn ${c.ageHours} uur oud (maximaal ${c.maxHours}): synchroniseer eerst.`, en: `The data from ${c.name} is ${c.ageHours} hours old (at most ${c.maxHours}): sync first.` } });
  }
  return out;
}
