/**
 * Exact top-N by a value that changes with the as-of date (the overdue amount), found without
 * computing it for every debtor: candidates come in order of an indexed upper bound (the positive
 * open amount, which no overdue amount exceeds) and get their exact value in batches, until the
 * N-th best exact value is above the bound of every candidate still unseen. Returns null when the
 * ranking cannot be settled that way (fewer than N candidates with a positive value): the caller
 * then computes it the plain way.
 */
export type Candidate = { id: number; bound: number };

export async function topByBound<T>(opts: {
  want: number;
  candidates: (offset: number, limit: number) => Promise<Candidate[]>;
  exact: (ids: number[]) => Promise<T[]>;
  value: (row: T) => number;
  /** the final order (must rank by value descending first) */
  compare: (a: T, b: T) => number;
  /** true when rows with a value ≤ 0 are not wanted anyway (the result may then be shorter than want) */
  positiveOnly?: boolean;
}): Promise<T[] | null> {
  const rows: T[] = [];
  let offset = 0;
  let batch = Math.max(16, opts.want * 2);
  for (;;) {
    const cands = await opts.candidates(offset, batch);
    offset += cands.length;
    if (cands.length) rows.push(...(await opts.exact(cands.map((c) => c.id))).filter((r) => opts.value(r) > 0));
    rows.sort(opts.compare);
    const done = cands.length < batch;
    if (done) return rows.length >= opts.want || opts.positiveOnly ? rows.slice(0, opts.want) : null;
    const nextBound = cands[cands.length - 1]!.bound; // every unseen candidate's bound is ≤ this
    if (rows.length >= opts.want && opts.value(rows[opts.want - 1]!) > nextBound) return rows.slice(0, opts.want);
    batch *= 2;
  }
}
