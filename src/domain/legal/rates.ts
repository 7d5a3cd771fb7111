/**
 * Statutory interest rate tables (LEGAL.md 3.2) as data. Each row applies from `from` (inclusive)
 * until the day before the next row. Rates in basis points (8.00% = 800). Updates arrive twice a year
 * (Dec/Jun); the store may supply newer tables to `statutoryInterest` via its `table` option.
 */
import type { IsoDate } from '../dates.ts';

export type RateRow = { readonly from: IsoDate; readonly rateBp: number; readonly note?: string };
export type InterestKind = 'consumer' | 'commercial';

/** Wettelijke rente, art. 6:119 BW (non-commercial / consumers). */
export const CONSUMER_RATES: readonly RateRow[] = [
  { from: '2001-01-01', rateBp: 800 },
  { from: '2002-01-01', rateBp: 700 },
  { from: '2003-08-01', rateBp: 500 },
  { from: '2004-02-01', rateBp: 400 },
  { from: '2007-01-01', rateBp: 600 },
  { from: '2009-07-01', rateBp: 400 },
  { from: '2010-01-01', rateBp: 300 },
  { from: '2011-07-01', rateBp: 400 },
  { from: '2012-07-01', rateBp: 300 },
  { from: '2015-01-01', rateBp: 200 },
  { from: '2023-01-01', rateBp: 400 },
  { from: '2023-07-01', rateBp: 600 },
  { from: '2024-01-01', rateBp: 700, note: 'Stb. 2023, 484; unchanged 2024-07-01' },
  { from: '2025-01-01', rateBp: 600, note: 'unchanged on 2025-07-01' },
  // [VERIFY] LEGAL.md 3.2: 4% from 2026-01-01 per rentetool csv + secondary sources; Staatsblad not checked.
  { from: '2026-01-01', rateBp: 400, note: '[VERIFY Staatsblad]' },
];

/** Wettelijke handelsrente, art. 6:119a / 6:119b BW (ECB MRO + 7 points, + 8 points from 2013-03-16). */
export const COMMERCIAL_RATES: readonly RateRow[] = [
  { from: '2002-08-08', rateBp: 700, note: 'transitional, = wettelijke rente' },
  { from: '2002-12-01', rateBp: 1035 },
  { from: '2003-01-01', rateBp: 985 },
  { from: '2003-07-01', rateBp: 910 },
  { from: '2004-01-01', rateBp: 902, note: 'one source lists 9.01' },
  { from: '2004-07-01', rateBp: 901 },
  { from: '2005-01-01', rateBp: 909 },
  { from: '2005-07-01', rateBp: 905 },
  { from: '2006-01-01', rateBp: 925 },
  { from: '2006-07-01', rateBp: 983 },
  { from: '2007-01-01', rateBp: 1058 },
  { from: '2007-07-01', rateBp: 1107 },
  { from: '2008-01-01', rateBp: 1120 },
  { from: '2008-07-01', rateBp: 1107 },
  { from: '2009-01-01', rateBp: 950 },
  { from: '2009-07-01', rateBp: 800, note: 'unchanged 2010, 2011-01-01' },
  { from: '2011-07-01', rateBp: 825 },
  { from: '2012-01-01', rateBp: 800, note: 'unchanged 2012-07-01' },
  { from: '2013-01-01', rateBp: 775 },
  { from: '2013-03-16', rateBp: 875, note: 'Directive 2011/7/EU: spread 8 points' },
  { from: '2013-07-01', rateBp: 850 },
  { from: '2014-01-01', rateBp: 825 },
  { from: '2014-07-01', rateBp: 815 },
  { from: '2015-01-01', rateBp: 805, note: 'unchanged 2015-07-01, 2016-01-01' },
  { from: '2016-07-01', rateBp: 800, note: 'unchanged until 2022-12-31' },
  { from: '2023-01-01', rateBp: 1050 },
  { from: '2023-07-01', rateBp: 1200 },
  { from: '2024-01-01', rateBp: 1250 },
  { from: '2024-07-01', rateBp: 1225 },
  { from: '2025-01-01', rateBp: 1115 },
  { from: '2025-07-01', rateBp: 1015, note: 'unchanged 2026-01-01' },
];

export function rateTable(kind: InterestKind): readonly RateRow[] {
  return kind === 'consumer' ? CONSUMER_RATES : COMMERCIAL_RATES;
}

/** `1050` → `'10.50'`. */
export function formatRateBp(bp: number): string {
  return `${Math.floor(bp / 100)}.${String(bp % 100).padStart(2, '0')}`;
}

/** The row in force on `date`, or undefined before the first row. The table must be sorted by date. */
export function rateRowOn(table: readonly RateRow[], date: IsoDate): RateRow | undefined {
  let found: RateRow | undefined;
  for (const row of table) {
    if (row.from <= date) found = row;
    else break;
  }
  return found;
}

/** Rate in basis points on `date`; throws before the table starts. */
export function rateOn(kind: InterestKind, date: IsoDate, table: readonly RateRow[] = rateTable(kind)): number {
  const row = rateRowOn(table, date);
  if (!row) throw new RangeError(`no ${kind} interest rate known on ${date} (table starts ${table[0]?.from ?? 'nowhere'})`);
  return row.rateBp;
}

/** Throws unless the table is non-empty, strictly ascending by date and has non-negative integer rates. */
export function assertRateTable(table: readonly RateRow[]): void {
  if (table.length === 0) throw new RangeError('empty rate table');
  for (let i = 0; i < table.length; i++) {
    const row = table[i]!;
    if (!Number.isInteger(row.rateBp) || row.rateBp < 0) throw new RangeError(`bad rate on ${row.from}: ${row.rateBp}`);
    if (i > 0 && !(table[i - 1]!.from < row.from)) throw new RangeError(`rate table not ascending at ${row.from}`);
  }
}
