/**
 * A seeded generator of realistic matching scenarios (debtors, open items, bank lines with the
 * ground truth) for tests and the accuracy benchmark. Deterministic: the same seed gives the same
 * scenario; no Math.random, no clock.
 *
 * Line mix (of all lines): structured reference ~35%, invoice number in text ~25%, combined ~5%,
 * IBAN + amount ~10%, name + amount ~5%, partial ~4%, overpayment ~2%, invoice minus credit
 * note ~2%, returns ~2%, noise ~10% (outgoing, salaries, card payments, interest, supplier refunds,
 * unknown payers, prepayments of known debtors).
 */
import { addDays } from '../../src/domain/dates.ts';
import { mulDivRound } from '../../src/domain/money.ts';
import { generatePaymentReference } from '../../src/domain/references.ts';
import type { Allocation, CandidateDebtor, CandidateItem, MatchContext, MatchKind, MatchLine, PriorBooking } from '../../src/domain/matching/types.ts';

// ---------------------------------------------------------------------------------------------
// PRNG (mulberry32): small, fast, good enough for test data.
// ---------------------------------------------------------------------------------------------

import { createPrng, type Prng } from '../../src/domain/prng.ts';

export { createPrng, type Prng };

// ---------------------------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------------------------

const FIRST = ['Jan', 'Piet', 'Kees', 'Henk', 'Johan', 'Willem', 'Sanne', 'Anouk', 'Lotte', 'Emma', 'Daan', 'Sem', 'Lucas', 'Eva', 'Femke', 'Bram', 'Ruud', 'Marieke', 'Ingrid', 'Gerrit', 'Joost', 'Maarten', 'Thijs', 'Noor', 'Julia', 'Sophie', 'Ahmed', 'Fatima', 'Mohamed', 'Yusuf', 'Priya', 'Wei', 'Bart', 'Hanneke', 'Karin', 'Erik'];
const SURNAMES = ['Jansen', 'de Vries', 'van den Berg', 'van Dijk', 'Bakker', 'Janssen', 'Visser', 'Smit', 'Meijer', 'de Boer', 'Mulder', 'de Groot', 'Bos', 'Vos', 'Peters', 'Hendriks', 'van Leeuwen', 'Dekker', 'Brouwer', 'de Wit', 'Dijkstra', 'Smits', 'de Graaf', 'van der Meer', 'van der Linden', 'Kok', 'Jacobs', 'de Haan', 'Vermeulen', 'van den Heuvel', 'van der Veen', 'van den Broek', 'de Bruijn', 'de Bruin', 'van der Heijden', 'Schouten', 'van Beek', 'Willems', 'van Vliet', 'van de Ven', 'Hoekstra', 'Maas', 'Verhoeven', 'Koster', 'van Dam', 'van der Wal', 'Prins', 'Blom', 'Huisman', 'Peeters', 'de Jong', 'Yilmaz', 'El Amrani', 'Öztürk', 'Çelik', 'Müller', 'Šimić'];
const TRADES = ['Bakkerij', 'Installatiebedrijf', 'Schildersbedrijf', 'Transportbedrijf', 'Adviesbureau', 'Hoveniersbedrijf', 'Autobedrijf', 'Tandartspraktijk', 'Architectenbureau', 'Loodgietersbedrijf', 'Drukkerij', 'Slagerij', 'Garage', 'Kapsalon', 'Fietsenwinkel', 'Bouwbedrijf', 'Timmerbedrijf', 'Accountantskantoor'];
const TRADES_AFTER = ['Bouw', 'Transport', 'Techniek', 'Installaties', 'Logistiek', 'Consultancy', 'Media', 'Vastgoed', 'Metaal', 'Elektro', 'Catering', 'Zorg', 'Groep', 'Projecten', 'Onderhoud', 'ICT'];
const WORDS = ['Hoekje', 'Molen', 'Zonnebloem', 'Noorderlicht', 'Kompas', 'Eiland', 'Polder', 'Duinzicht', 'Vlinder', 'Anker', 'Gouden Leeuw', 'Zwaluw', 'Horizon', 'Klaverblad', 'Pelikaan', 'Meerzicht'];
const SUPPLIERS = ['Staples Nederland B.V.', 'KPN B.V.', 'Eneco Zakelijk', 'Hornbach Bouwmarkt', 'Technische Unie', 'Makro Nederland', 'Belastingdienst', 'Vodafone Libertel', 'Shell Nederland', 'Coolblue B.V.'];
const BANKS = ['INGB', 'RABO', 'ABNA', 'SNSB', 'TRIO', 'BUNQ', 'KNAB', 'ASNB'];
const RETURN_REASONS = ['MD06', 'AM04', 'MS02', 'AC04', 'MD01', 'MS03'];

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

export type TruthKind = MatchKind | 'noise';

/** What a line really is. Noise lines have no allocations. */
export type TruthLine = {
  readonly lineId: number;
  readonly kind: TruthKind;
  readonly debtorId: number | null;
  readonly allocations: readonly Allocation[];
  readonly creditCents: number;
  readonly reversesBookingId?: number;
  /** What the generator did, for reading failures. */
  readonly note: string;
};

export type Scenario = {
  readonly lines: readonly MatchLine[];
  readonly ctx: MatchContext;
  readonly truth: readonly TruthLine[];
};

export type ScenarioOptions = {
  readonly seed: number;
  /** Number of bank lines (default 2000). */
  readonly lines?: number;
  /** Number of debtors (default lines / 2). */
  readonly debtors?: number;
  /** The statement date; items are issued before it (default 2026-11-20). */
  readonly asOf?: string;
};

export const SCENARIO_MIX: readonly (readonly [TruthKind, number])[] = [
  ['reference', 0.35],
  ['invoice-number', 0.25],
  ['combined', 0.05],
  ['iban-amount', 0.1],
  ['name-amount', 0.05],
  ['partial', 0.04],
  ['overpayment', 0.02],
  ['invoice-minus-credit', 0.02],
  ['return', 0.02],
  ['noise', 0.1],
];

type Debtor = { id: number; number: string; name: string; person: boolean; first?: string; surname?: string; ibans: string[]; payIban: string; subscription: boolean };
type Item = { -readonly [K in keyof CandidateItem]: CandidateItem[K] };

function mod97(s: string): number {
  let r = 0;
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    r = c >= 65 ? (r * 100 + (c - 55)) % 97 : (r * 10 + (c - 48)) % 97;
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// Generator
// ---------------------------------------------------------------------------------------------

export function generateScenario(opts: ScenarioOptions): Scenario {
  const rnd = createPrng(opts.seed);
  const nLines = opts.lines ?? 2000;
  const nDebtors = opts.debtors ?? Math.max(20, Math.round(nLines / 2));
  const asOf = opts.asOf ?? '2026-11-20';
  const usedIbans = new Set<string>();
  const makeIban = (): string => {
    for (;;) {
      const bank = rnd.pick(BANKS);
      const acct = String(rnd.int(0, 9_999_999_999)).padStart(10, '0');
      const check = String(98 - mod97(`${bank}${acct}NL00`)).padStart(2, '0');
      const iban = `NL${check}${bank}${acct}`;
      if (!usedIbans.has(iban)) {
        usedIbans.add(iban);
        return iban;
      }
    }
  };

  // Debtors -----------------------------------------------------------------------------------
  const debtors: Debtor[] = [];
  const usedNames = new Set<string>();
  for (let id = 1; id <= nDebtors; id++) {
    let name = '', person = false, first: string | undefined, surname: string | undefined;
    for (let tries = 0; ; tries++) {
      person = rnd.chance(0.35);
      if (person) {
        first = rnd.pick(FIRST);
        surname = rnd.pick(SURNAMES);
        name = `${first} ${surname}`;
      } else {
        const s = rnd.pick(SURNAMES);
        const cap = s.charAt(0).toUpperCase() + s.slice(1);
        const core = rnd.weighted<string>([
          [`${rnd.pick(TRADES)} ${cap}`, 3],
          [`${cap} ${rnd.pick(TRADES_AFTER)}`, 3],
          [`${cap} & ${rnd.pick(SURNAMES).replace(/^./, (c) => c.toUpperCase())}`, 1],
          [`'t ${rnd.pick(WORDS)}`, 0.5],
          [`${rnd.pick(WORDS)} ${rnd.pick(TRADES_AFTER)}`, 1.5],
        ]);
        const legal = rnd.weighted<string>([[' B.V.', 55], [' VOF', 10], [' Holding B.V.', 5], [' N.V.', 2], ['', 28]]);
        name = `${core}${legal}`;
      }
      const key = name.toLowerCase();
      if (!usedNames.has(key) || tries > 20) break;
    }
    usedNames.add(name.toLowerCase());
    const known = rnd.chance(0.75);
    const payIban = makeIban();
    const ibans = known ? (rnd.chance(0.1) ? [payIban, makeIban()] : [payIban]) : [];
    debtors.push({ id, number: `D${10000 + id}`, name, person, first, surname, ibans, payIban, subscription: rnd.chance(0.15) });
  }

  // Open items --------------------------------------------------------------------------------
  const drafts: { debtorId: number; cents: number; issue: string; openFraction: number }[] = [];
  const randomAmount = (person: boolean): number => {
    const hi = person ? Math.log(2500) : Math.log(15000);
    const euros = Math.exp(Math.log(20) + rnd.next() * (hi - Math.log(20)));
    const net = rnd.weighted<number>([[Math.round(euros) * 100, 6], [Math.round(euros * 2) * 50, 1], [Math.round(euros * 100), 3]]);
    return rnd.chance(0.7) ? mulDivRound(net, 121, 100) : net;
  };
  for (const d of debtors) {
    let n = 1;
    while (n < 25 && rnd.chance(0.62)) n++;
    const fixed = randomAmount(d.person);
    for (let k = 0; k < n; k++) {
      const cents = d.subscription ? fixed : randomAmount(d.person);
      drafts.push({ debtorId: d.id, cents, issue: addDays(asOf, -rnd.int(5, 180)), openFraction: rnd.chance(0.06) ? rnd.int(30, 90) / 100 : 1 });
    }
  }
  drafts.sort((a, b) => (a.issue < b.issue ? -1 : a.issue > b.issue ? 1 : a.debtorId - b.debtorId));
  const items: Item[] = [];
  let nextItemId = 1;
  let creditSeq = 1;
  drafts.forEach((dr, i) => {
    const id = nextItemId++;
    const year = dr.issue.slice(0, 4);
    const refKind = rnd.weighted<'cur' | 'rf' | null>([['cur', 75], ['rf', 10], [null, 15]]);
    items.push({
      id,
      debtorId: dr.debtorId,
      number: `F${year}-${String(i + 1).padStart(5, '0')}`,
      kind: 'invoice',
      amountCents: dr.cents,
      openCents: dr.openFraction === 1 ? dr.cents : Math.max(100, Math.round((dr.cents * dr.openFraction) / 100) * 100),
      currency: rnd.chance(0.02) ? 'USD' : 'EUR',
      issueDate: dr.issue,
      dueDate: addDays(dr.issue, rnd.pick([14, 30, 30, 30, 60])),
      paymentReference: refKind ? generatePaymentReference(refKind, 7, id) : null,
    });
  });
  const addCreditNote = (debtorId: number, cents: number): Item => {
    const issue = addDays(asOf, -rnd.int(3, 60));
    const it: Item = { id: nextItemId++, debtorId, number: `C${issue.slice(0, 4)}-${String(creditSeq++).padStart(5, '0')}`, kind: 'credit_note', amountCents: -cents, openCents: -cents, currency: 'EUR', issueDate: issue, dueDate: issue, paymentReference: null };
    items.push(it);
    return it;
  };
  for (const d of debtors) if (rnd.chance(0.05)) addCreditNote(d.id, rnd.int(10, 300) * 100);

  // Pools -------------------------------------------------------------------------------------
  const byDebtor = new Map<number, Item[]>();
  for (const it of items) {
    const l = byDebtor.get(it.debtorId) ?? [];
    l.push(it);
    byDebtor.set(it.debtorId, l);
  }
  const oldestFirst = (a: Item, b: Item) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.issueDate < b.issueDate ? -1 : a.issueDate > b.issueDate ? 1 : a.id - b.id);
  for (const l of byDebtor.values()) l.sort(oldestFirst);
  const used = new Set<number>();
  const debtorById = new Map(debtors.map((d) => [d.id, d]));
  const unpaid = (debtorId: number) => (byDebtor.get(debtorId) ?? []).filter((it) => !used.has(it.id) && it.kind === 'invoice' && it.currency === 'EUR');
  const pickItem = (ok: (it: Item, d: Debtor) => boolean): Item | null => {
    for (let tries = 0; tries < 200; tries++) {
      const d = rnd.pick(debtors);
      const cands = unpaid(d.id).filter((it) => ok(it, d));
      if (cands.length === 0) continue;
      // Payers pay older items more often.
      const it = rnd.chance(0.6) ? cands[0]! : rnd.pick(cands);
      return it;
    }
    return null;
  };

  // Text helpers ------------------------------------------------------------------------------
  const numberVariant = (num: string): string => {
    const m = /^([A-Z])(\d{4})-(\d+)$/.exec(num)!;
    const [, p, y, s] = m as unknown as [string, string, string, string];
    const short = s.replace(/^0+/, '');
    return rnd.weighted<string>([
      [`${p}${y}-${s}`, 35], [`${y}-${s}`, 15], [`${p}${y}/${s}`, 5], [`${y}/${s}`, 5], [`${y}${s}`, 10], [`${p}${y}${s}`, 5],
      [`${p}${y}-${short}`, 8], [`${y}-${short}`, 2], [`${p.toLowerCase()}${y}-${s}`, 5], [`INV${y}-${s}`, 5], [`${p} ${y}-${s}`, 5],
    ]);
  };
  const wrapNumbers = (vs: string[], d: Debtor): string => {
    const joined = vs.join(rnd.pick([' ', ', ', ' en ', ' + ', ' / ', ';']));
    const typoWord = rnd.pick(['Factuur', 'factuur', 'Factuuur', 'factur', 'FACTUUR', 'Fact.', 'fact.nr.', 'factuurnr', 'Betaling factuur', 'Betalnig fact', 'Inzake', 'betreft', 'Fakt']);
    const plural = vs.length > 1 ? rnd.pick(['Facturen', 'facturen', 'Betaling facturen', 'Fact']) : typoWord;
    return rnd.weighted<string>([
      [`${plural} ${joined}`, 5],
      [joined, 2],
      [`${plural} ${joined} klantnr ${d.number}`, 1],
      [`${plural} ${joined} dd ${rnd.int(1, 28)}-${rnd.int(1, 12)}-2026`, 1],
      [`${plural} ${joined} EUR ${rnd.int(1, 999)},${String(rnd.int(0, 99)).padStart(2, '0')}`, 0.5],
      [`${joined} bedankt voor het wachten`, 0.5],
    ]);
  };
  const typo = (s: string): string => {
    const i = rnd.int(1, Math.max(1, s.length - 2));
    return rnd.chance(0.5) ? s.slice(0, i) + s.slice(i + 1) : s.slice(0, i) + s.charAt(i + 1) + s.charAt(i) + s.slice(i + 2);
  };
  const payerName = (d: Debtor): string => {
    if (d.person) {
      const f = d.first!, s = d.surname!;
      const sur = s.charAt(0).toUpperCase() + s.slice(1);
      return rnd.weighted<string>([
        [`${f.charAt(0)}. ${s}`, 30], [`${f.charAt(0)} ${s}`.toUpperCase(), 15], [`${f} ${s}`, 25], [`${sur} ${f.charAt(0)}`.toUpperCase(), 10],
        [`${rnd.pick(['Hr', 'Dhr.', 'Mw', 'Mevr.'])} ${f.charAt(0)} ${s}`, 10], [`${f.charAt(0)}.${rnd.pick(['M', 'A', 'J', 'W'])}. ${s}`, 5], [`${f} ${typo(s)}`, 5],
      ]);
    }
    const bare = d.name.replace(/\s+(Holding )?(B\.V\.|VOF|N\.V\.)$/, '');
    return rnd.weighted<string>([
      [d.name, 40], [d.name.toUpperCase(), 25], [bare, 20], [bare.split(' ').map((w) => (w.length >= 6 ? typo(w) : w)).join(' '), 10], [d.name.slice(0, 24), 5],
    ]);
  };

  // Lines -------------------------------------------------------------------------------------
  const counts = SCENARIO_MIX.map(([k, p]) => [k, Math.round(p * nLines)] as const);
  const kinds: TruthKind[] = [];
  for (const [k, c] of counts) for (let i = 0; i < c; i++) kinds.push(k);
  while (kinds.length < nLines) kinds.push('reference');
  kinds.length = nLines;
  rnd.shuffle(kinds);

  const lines: MatchLine[] = [];
  const truth: TruthLine[] = [];
  const priorBookings: PriorBooking[] = [];
  let nextBookingId = 1;
  const base = (id: number, cents: number, d: Debtor | null, over: Partial<MatchLine> = {}): MatchLine => ({
    id,
    cents,
    currency: 'EUR',
    // Statement lines are in booking order: spread over the last five days.
    bookingDate: addDays(asOf, -4 + Math.floor((5 * (id - 1)) / nLines)),
    counterpartyName: d ? payerName(d) : null,
    counterpartyIban: d ? d.payIban : null,
    structuredRef: null,
    endToEndId: rnd.chance(0.7) ? 'NOTPROVIDED' : null,
    mandateId: null,
    remittance: '',
    bankCode: 'PMNT/RCDT/ESCT',
    returnReason: null,
    reversal: false,
    info: null,
    ...over,
  });
  const otherIban = (d: Debtor) => (d.ibans.length > 0 && rnd.chance(0.3) ? makeIban() : d.payIban);
  const full = (its: readonly Item[]): Allocation[] => its.map((it) => ({ itemId: it.id, cents: it.openCents }));
  const genericText = (d: Debtor) => rnd.weighted<string>([['', 5], ['betaling', 1], [`klantnummer ${d.number}`, 1], ['Termijn', 0.5], ['bedankt', 0.5], [`${d.number.slice(1)}`, 0.3]]);

  let id = 0;
  for (const kind0 of kinds) {
    id++;
    let kind: TruthKind = kind0;
    const emit = (line: MatchLine, t: Omit<TruthLine, 'lineId'>) => {
      lines.push(line);
      truth.push({ lineId: line.id, ...t });
    };
    const refItem = kind === 'reference' ? pickItem((it) => it.paymentReference !== null) : null;
    if (kind === 'reference' && !refItem) kind = 'invoice-number';
    if (kind === 'reference' && refItem) {
      const d = debtorById.get(refItem.debtorId)!;
      used.add(refItem.id);
      const ref = refItem.paymentReference!;
      const isRf = ref.startsWith('RF');
      const inText = rnd.chance(0.15);
      const shown = rnd.chance(0.15) ? ref.replace(/(.{4})(?=.)/g, '$1 ') : ref;
      emit(
        base(id, refItem.openCents, d, {
          currency: refItem.currency,
          counterpartyIban: otherIban(d),
          structuredRef: inText ? null : { issuer: isRf ? 'ISO' : 'CUR', value: shown },
          remittance: inText ? rnd.pick([`Betalingskenmerk ${shown}`, shown, `kenmerk: ${shown}`]) : '',
        }),
        { kind: 'reference', debtorId: d.id, allocations: full([refItem]), creditCents: 0, note: `pays ${refItem.number} by reference${inText ? ' in text' : ''}` },
      );
      continue;
    }
    if (kind === 'invoice-number') {
      const it = pickItem(() => true);
      if (!it) continue;
      const d = debtorById.get(it.debtorId)!;
      used.add(it.id);
      const e2e = rnd.chance(0.05) ? it.number : null;
      // Some payers mistype the number (one digit off): the amount and the payer still tell.
      const mistyped = !e2e && rnd.chance(0.03);
      const written = mistyped ? it.number.replace(/(\d)(?!.*\d)/, (c) => String((Number(c) + rnd.int(1, 9)) % 10)) : it.number;
      emit(base(id, it.openCents, d, { currency: it.currency, counterpartyIban: otherIban(d), remittance: e2e ? '' : wrapNumbers([numberVariant(written)], d), ...(e2e ? { endToEndId: e2e } : {}) }), {
        kind: 'invoice-number', debtorId: d.id, allocations: full([it]), creditCents: 0, note: `pays ${it.number} by number${mistyped ? ` (mistyped as ${written})` : ''}`,
      });
      continue;
    }
    if (kind === 'combined') {
      const first = pickItem((_, d) => unpaid(d.id).length >= 2);
      if (!first) continue;
      const d = debtorById.get(first.debtorId)!;
      const pool = unpaid(d.id);
      const k = Math.min(pool.length, rnd.weighted<number>([[2, 5], [3, 3], [4, 2]]));
      const chosen = (rnd.chance(0.6) ? pool.slice(0, k) : rnd.shuffle([...pool]).slice(0, k)).sort(oldestFirst);
      for (const it of chosen) used.add(it.id);
      const total = chosen.reduce((s, it) => s + it.openCents, 0);
      const named = rnd.chance(0.65) || d.ibans.length === 0;
      emit(base(id, total, d, { remittance: named ? wrapNumbers(chosen.map((it) => numberVariant(it.number)), d) : rnd.pick(['', 'diverse facturen', `klantnr ${d.number}`, 'betaling openstaande posten']) }), {
        kind: 'combined', debtorId: d.id, allocations: full(chosen), creditCents: 0, note: `pays ${chosen.map((i) => i.number).join('+')}${named ? ' named' : ' unnamed'}`,
      });
      continue;
    }
    if (kind === 'iban-amount' || kind === 'name-amount') {
      const byIban = kind === 'iban-amount';
      const it = pickItem((_, d) => (byIban ? d.ibans.length > 0 : true));
      if (!it) continue;
      const d = debtorById.get(it.debtorId)!;
      // With several items of the same amount, payers mostly pay the oldest.
      const same = unpaid(d.id).filter((x) => x.openCents === it.openCents);
      const paid = same.length > 1 && rnd.chance(0.7) ? same[0]! : it;
      used.add(paid.id);
      emit(base(id, paid.openCents, d, { counterpartyIban: byIban ? d.ibans[0]! : makeIban(), counterpartyName: byIban && rnd.chance(0.2) ? null : payerName(d), remittance: genericText(d) }), {
        kind, debtorId: d.id, allocations: full([paid]), creditCents: 0, note: `pays ${paid.number} by amount (${same.length} of that amount)`,
      });
      continue;
    }
    if (kind === 'partial' || kind === 'overpayment') {
      const it = pickItem((x) => x.openCents >= 5000 && (kind === 'overpayment' || x.openCents >= 10000));
      if (!it) continue;
      const d = debtorById.get(it.debtorId)!;
      used.add(it.id);
      let cents: number;
      if (kind === 'partial') {
        cents = rnd.weighted<number>([[Math.round(it.openCents / 200) * 100, 2], [it.openCents - rnd.int(1, Math.floor(it.openCents / 200)) * 100, 1], [Math.min(it.openCents - 100, rnd.pick([5000, 10000, 25000, 50000])), 1]]);
        if (cents <= 0 || cents >= it.openCents) cents = Math.floor(it.openCents / 2);
      } else {
        const up = Math.ceil(it.openCents / 1000) * 1000;
        cents = rnd.weighted<number>([[up > it.openCents ? up : it.openCents + 1000, 2], [it.openCents + 4000, 1], [it.openCents + rnd.int(1, 5000), 1]]);
      }
      const useRef = it.paymentReference !== null && rnd.chance(0.5);
      const iban = rnd.chance(0.6) ? d.payIban : makeIban();
      emit(
        base(id, cents, d, {
          counterpartyIban: iban,
          structuredRef: useRef ? { issuer: it.paymentReference!.startsWith('RF') ? 'ISO' : 'CUR', value: it.paymentReference! } : null,
          remittance: useRef ? (kind === 'partial' ? rnd.pick(['', 'deelbetaling', 'termijn 1']) : '') : `${kind === 'partial' ? rnd.pick(['Deelbetaling ', 'Eerste termijn ', '']) : ''}${wrapNumbers([numberVariant(it.number)], d)}`,
        }),
        kind === 'partial'
          ? { kind, debtorId: d.id, allocations: [{ itemId: it.id, cents }], creditCents: 0, note: `pays ${cents} of ${it.number} (${it.openCents})` }
          : { kind, debtorId: d.id, allocations: full([it]), creditCents: cents - it.openCents, note: `pays ${it.number} plus ${cents - it.openCents}` },
      );
      continue;
    }
    if (kind === 'invoice-minus-credit') {
      const it = pickItem((x) => x.openCents >= 5000);
      if (!it) continue;
      const d = debtorById.get(it.debtorId)!;
      used.add(it.id);
      let cn = (byDebtor.get(d.id) ?? []).find((x) => x.kind === 'credit_note' && !used.has(x.id) && -x.openCents < it.openCents);
      if (!cn) {
        cn = addCreditNote(d.id, Math.max(100, Math.round(it.openCents * rnd.int(5, 40) / 10000) * 100));
        byDebtor.get(d.id)!.push(cn);
      }
      used.add(cn.id);
      const how = d.ibans.length > 0 ? rnd.weighted<string>([['both', 50], ['invoice', 25], ['none', 25]]) : rnd.weighted<string>([['both', 60], ['invoice', 40]]);
      const text = how === 'both' ? `${wrapNumbers([numberVariant(it.number)], d)} minus creditnota ${cn.number}` : how === 'invoice' ? wrapNumbers([numberVariant(it.number)], d) : '';
      emit(base(id, it.openCents + cn.openCents, d, { remittance: text }), {
        kind, debtorId: d.id, allocations: [{ itemId: it.id, cents: it.openCents }, { itemId: cn.id, cents: cn.openCents }], creditCents: 0, note: `pays ${it.number} minus ${cn.number} (${how} named)`,
      });
      continue;
    }
    if (kind === 'return') {
      // An earlier direct-debit collection of a (now paid, no longer open) item comes back.
      const d = rnd.pick(debtors);
      const paidId = nextItemId++;
      const cents = randomAmount(d.person);
      const e2e = `VRD-SDD-${String(paidId).padStart(8, '0')}`;
      const booking: PriorBooking = { bookingId: nextBookingId++, endToEndId: e2e, cents, allocations: [{ itemId: paidId, cents }] };
      priorBookings.push(booking);
      const reversal = rnd.chance(0.2);
      emit(base(id, -cents, d, { endToEndId: e2e, mandateId: `MND-${d.id}`, bankCode: 'PMNT/IDDT/UPDD', returnReason: reversal ? null : rnd.pick(RETURN_REASONS), reversal, remittance: rnd.pick(['', 'Storno', 'Terugboeking incasso']) }), {
        kind: 'return', debtorId: d.id, allocations: [{ itemId: paidId, cents: -cents }], creditCents: 0, reversesBookingId: booking.bookingId, note: `returns booking ${booking.bookingId}`,
      });
      continue;
    }
    // Noise.
    const sub = rnd.weighted<string>([['outgoing', 35], ['salary', 10], ['card', 10], ['interest', 10], ['refund', 10], ['unknown', 15], ['prepayment', 10]]);
    let line: MatchLine;
    if (sub === 'outgoing') line = base(id, -rnd.int(2000, 500000), null, { counterpartyName: rnd.pick(SUPPLIERS), counterpartyIban: makeIban(), bankCode: 'PMNT/ICDT/ESCT', remittance: rnd.pick([`Factuur ${rnd.int(2025, 2026)}-${rnd.int(100, 9999)}`, `INV-${rnd.int(10000, 99999)}`, 'Huur december', `Klantnr ${rnd.int(100000, 999999)}`]) });
    else if (sub === 'salary') line = base(id, -rnd.int(150000, 600000), null, { counterpartyName: `${rnd.pick(FIRST)} ${rnd.pick(SURNAMES)}`, counterpartyIban: makeIban(), bankCode: 'PMNT/ICDT/SALA', remittance: 'Salaris november 2026' });
    else if (sub === 'card') line = base(id, -rnd.int(300, 25000), null, { counterpartyName: rnd.pick(['Albert Heijn 1234', 'Shell Station A12', 'Praxis Utrecht']), counterpartyIban: null, bankCode: 'PMNT/CCRD/POSD', remittance: `BEA NR:${rnd.int(10000000, 99999999)} ${rnd.int(1, 28)}.11.26/${rnd.int(10, 23)}.${rnd.int(10, 59)} PAS${rnd.int(100, 999)}` });
    else if (sub === 'interest') line = base(id, rnd.int(1, 5000), null, { counterpartyName: 'ING Bank N.V.', counterpartyIban: null, bankCode: 'PMNT/MCOP/INTR', remittance: `Rente ${rnd.int(1, 4)}e kwartaal 2026` });
    else if (sub === 'refund') line = base(id, rnd.int(500, 80000), null, { counterpartyName: rnd.pick(SUPPLIERS), counterpartyIban: makeIban(), remittance: `Creditnota ${rnd.int(10000, 99999)} retour` });
    else if (sub === 'unknown') {
      const nm = rnd.chance(0.5) ? `${rnd.pick(FIRST)} ${rnd.pick(SURNAMES)}` : `${rnd.pick(WORDS)} ${rnd.pick(TRADES_AFTER)} B.V.`;
      line = base(id, randomAmount(rnd.chance(0.5)), null, { counterpartyName: nm, counterpartyIban: makeIban(), remittance: rnd.pick(['', `bestelling ${rnd.int(1000, 999999)}`, 'aanbetaling', `order ${rnd.int(10000, 99999)}`]) });
    } else {
      const d = rnd.pick(debtors);
      line = base(id, rnd.int(50, 2000) * 100, d, { remittance: rnd.pick(['aanbetaling offerte', `Aanbetaling Q2026-${rnd.int(10, 99)}`, 'vooruitbetaling']) });
    }
    emit(line, { kind: 'noise', debtorId: null, allocations: [], creditCents: 0, note: `noise: ${sub}` });
  }

  // Extra prior bookings that are not returned (the store fetches some anyway).
  const returned = priorBookings.length;
  for (let k = 0; k < returned * 3; k++) {
    const cents = randomAmount(false);
    priorBookings.push({ bookingId: nextBookingId++, endToEndId: `VRD-SDD-${String(nextItemId++).padStart(8, '0')}`, cents, allocations: [{ itemId: nextItemId - 1, cents }] });
  }

  const ctxDebtors: CandidateDebtor[] = debtors.map((d) => ({ id: d.id, number: d.number, name: d.name, ibans: d.ibans }));
  return {
    lines,
    truth,
    ctx: { items: items.map((it) => ({ ...it })), debtors: ctxDebtors, rejected: new Set<string>(), priorBookings },
  };
}
