/**
 * Belgian CODA (Febelfin "Coded statement of account", version 2.x) reader: text or bytes in, a
 * `StatementFile` out. Pure: no I/O.
 *
 * Fixed-width records of 128 characters (positions below are 1-based, as in the Febelfin spec):
 *   0 header · 1 old balance · 2.1/2.2/2.3 movement · 3.1/3.2/3.3 information · 4 free message ·
 *   8 new balance · 9 trailer. A file may hold several statements (one 0…9 block each).
 * Amounts have three decimals (15 digits) and a separate sign (0 credit, 1 debit); dates are DDMMYY.
 *
 * Globalisation: a movement whose transaction-code type (2.1 position 54) is 0-3 is booked; types
 * 5-8 are the details of the booked movement before it (like the TxDtls of a CAMT batch) and become
 * the entries (txIndex 0..n-1), provided they add up to the booked amount; type 9 details a detail
 * and only contributes text. Structured communication '101'/'102' (+++123/4567/89012+++) is the
 * Belgian structured reference; '127' is SEPA direct debit data (mandate reference, free text).
 */
import type { Balance, BankEntry, BankStatement, FormatError, ParseResult, StatementFile } from '../domain/bank-statement.ts';
import { parseAmount } from '../domain/money.ts';
import { isIsoDate } from '../domain/dates.ts';
import { decodeWindows1252 } from './encoding.ts';

const RECORD = 128;

type Mv = {
  line: number;
  seq: string;
  detail: string;
  ref: string;
  sign: 1 | -1;
  mills: number;
  valueDate: string | null;
  entryDate: string | null;
  code: string;
  type: string;
  structured: boolean;
  comm: string; // raw communication: 2.1 63-115 + 2.2 11-63 + 2.3 83-125
  customerRef: string;
  bic: string;
  rType: string;
  rReason: string;
  cpAccount: string | null;
  cpName: string | null;
  info: string[];
  infoName: string | null;
  details: Mv[];
  subs: Mv[];
};

type Stmt = {
  line: number;
  version: string;
  seqCoda: string | null;
  seqPaper: string | null;
  accountIban: string | null;
  accountId: string | null;
  currency: string | null;
  opening: Balance | null;
  closing: Balance | null;
  closingAccount: string | null;
  mains: Mv[];
  last: Mv | null;
  records: number;
  trailer: boolean;
};

export function parseCoda(input: string | Uint8Array): ParseResult<StatementFile> {
  const errors: FormatError[] = [];
  const warnings: FormatError[] = [];
  const err = (code: string, message: string, line?: number, field?: string) =>
    errors.push({ code, message: line !== undefined ? `line ${line}: ${message}` : message, ...(line !== undefined ? { line } : {}), ...(field ? { field } : {}) });
  const warn = (code: string, message: string, line?: number, field?: string) =>
    warnings.push({ code, message: line !== undefined ? `line ${line}: ${message}` : message, ...(line !== undefined ? { line } : {}), ...(field ? { field } : {}) });

  let text = decode(input);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const raw = text.split(/\r\n|\n|\r/);
  const first = raw.findIndex((l) => l.trim() !== '');
  if (first < 0) return { ok: false, errors: [{ code: 'coda_empty', message: 'the file is empty' }] };
  if (!/^0{5}\d{6}/.test(raw[first]!))
    return {
      ok: false,
      errors: [{ code: 'coda_not_coda', message: `not a CODA file: the first record (line ${first + 1}) is not a header record ('0' followed by zeros and the creation date DDMMYY)`, line: first + 1 }],
    };

  const stmts: Stmt[] = [];
  let cur: Stmt | null = null;
  let padded = 0;

  for (let i = first; i < raw.length; i++) {
    const lineNo = i + 1;
    let line = raw[i]!;
    if (line.trim() === '') continue;
    if (line.length < RECORD) {
      padded++;
      line = line.padEnd(RECORD, ' ');
    } else if (line.length > RECORD) {
      if (line.slice(RECORD).trim() !== '') warn('coda_record_length', `record is ${line.length} characters long, not ${RECORD}; the rest is ignored`, lineNo);
      line = line.slice(0, RECORD);
    }
    const f = (from: number, to: number) => line.slice(from - 1, to); // 1-based inclusive positions
    const kind = line[0]!;

    if (kind === '0') {
      if (cur && !cur.trailer) warn('coda_no_trailer', `statement starting at line ${cur.line} has no trailer record 9`, lineNo);
      const version = f(128, 128);
      if (version !== '2') warn('coda_version', `header says CODA version "${version.trim()}"; read with the version 2 layout`, lineNo, 'version');
      cur = { line: lineNo, version, seqCoda: null, seqPaper: null, accountIban: null, accountId: null, currency: null, opening: null, closing: null, closingAccount: null, mains: [], last: null, records: 0, trailer: false };
      stmts.push(cur);
      continue;
    }
    if (!cur) {
      err('coda_structure', `record "${kind}" before any header record 0`, lineNo);
      continue;
    }
    if (cur.trailer) {
      err('coda_structure', `record "${kind}" after the trailer record 9 and before a new header`, lineNo);
      continue;
    }
    if (kind !== '9') cur.records++;

    switch (kind) {
      case '1': {
        const structure = f(2, 2);
        let account: string;
        if (structure === '0') {
          account = f(6, 17).trim();
          cur.currency = f(19, 21).trim() || null;
        } else if (structure === '1' || structure === '2' || structure === '3') {
          account = f(6, 39).trim();
          cur.currency = f(40, 42).trim() || null;
        } else {
          warn('coda_account', `unknown account structure "${structure}"; the account is read as written`, lineNo, 'account');
          account = f(6, 39).trim();
          cur.currency = f(40, 42).trim() || null;
        }
        if ((structure === '2' || structure === '3') && isIbanLike(account)) cur.accountIban = account.replace(/\s+/g, '');
        else cur.accountId = account || null;
        if (!account) warn('coda_missing', 'record 1 holds no account number', lineNo, 'account');
        if (!cur.currency) warn('coda_missing', 'record 1 holds no currency', lineNo, 'currency');
        cur.seqPaper = f(3, 5).trim() || null;
        cur.seqCoda = f(126, 128).trim() || null;
        cur.opening = balance(f(43, 43), f(44, 58), f(59, 64), cur.currency ?? '', lineNo, 'old balance', warn);
        break;
      }
      case '2': {
        const art = line[1];
        if (art === '1') {
          const mv = movement(f, lineNo, err, warn);
          if (!mv) break;
          if ('5678'.includes(mv.type)) {
            const main = cur.mains.at(-1);
            if (!main) {
              warn('coda_globalisation', `detail movement (type ${mv.type}) without a booked movement before it; read as a booked movement`, lineNo);
              cur.mains.push(mv);
            } else {
              if (main.seq !== mv.seq) warn('coda_globalisation', `detail movement ${mv.seq}/${mv.detail} follows movement ${main.seq}; attached to it`, lineNo);
              main.details.push(mv);
            }
          } else if (mv.type === '9') {
            const parent = cur.mains.at(-1)?.details.at(-1) ?? cur.mains.at(-1);
            if (parent) parent.subs.push(mv);
            else cur.mains.push(mv);
          } else cur.mains.push(mv);
          cur.last = mv;
        } else if (art === '2' || art === '3') {
          const mv = cur.last;
          if (!mv) {
            warn('coda_structure', `record 2.${art} without a record 2.1 before it; ignored`, lineNo);
            break;
          }
          if (f(3, 6) !== mv.seq) warn('coda_structure', `record 2.${art} has sequence number ${f(3, 6)}, its record 2.1 (line ${mv.line}) ${mv.seq}`, lineNo);
          if (art === '2') {
            mv.comm += f(11, 63);
            mv.customerRef = f(64, 98).trim();
            mv.bic = f(99, 109).trim();
            mv.rType = f(113, 113).trim();
            mv.rReason = f(114, 117).trim();
          } else {
            if (mv.comm.length < 106) mv.comm = mv.comm.padEnd(106, ' ');
            mv.comm += f(83, 125);
            counterpartyAccount(f, mv, lineNo, warn);
          }
        } else warn('coda_record', `unknown record type 2.${art}; ignored`, lineNo);
        break;
      }
      case '3': {
        const art = line[1];
        const mv = cur.last;
        if (!mv) {
          warn('coda_structure', `information record 3.${art} without a movement before it; ignored`, lineNo);
          break;
        }
        if (f(3, 6) !== mv.seq) warn('coda_structure', `information record 3.${art} has sequence number ${f(3, 6)}, the movement (line ${mv.line}) ${mv.seq}`, lineNo);
        if (art === '1') {
          // Some files have the 3.1 fields one position early (bank reference of 20); detect that by the transaction code.
          let shift = 0;
          if (f(33, 36) !== mv.code.slice(1, 5) && f(32, 35) === mv.code.slice(1, 5)) {
            shift = 1;
            warn('coda_record_shifted', 'record 3.1 is shifted one position to the left (transaction code at 31-38); read accordingly', lineNo);
          }
          const structured = f(40 - shift, 40 - shift) === '1';
          const comm = f(41 - shift, 113 - shift);
          if (structured && comm.startsWith('001')) {
            const name = collapse(comm.slice(3, 73));
            if (name) mv.infoName = name;
          }
          mv.info.push(structured ? comm.slice(3) : comm);
        } else if (art === '2') mv.info.push(f(11, 115));
        else if (art === '3') mv.info.push(f(11, 100));
        else warn('coda_record', `unknown record type 3.${art}; ignored`, lineNo);
        break;
      }
      case '4':
        break; // free message from the bank: not part of any entry
      case '8': {
        cur.closing = balance(f(42, 42), f(43, 57), f(58, 63), cur.currency ?? '', lineNo, 'new balance', warn);
        cur.closingAccount = f(5, 41).trim() || null;
        break;
      }
      case '9': {
        cur.trailer = true;
        checkTrailer(cur, f, lineNo, warn);
        break;
      }
      default:
        warn('coda_record', `unknown record type "${kind}"; ignored`, lineNo);
    }
  }
  if (padded) warn('coda_record_length', `${padded} record(s) shorter than ${RECORD} characters were padded with spaces`);
  if (cur && !cur.trailer) warn('coda_no_trailer', `statement starting at line ${cur.line} has no trailer record 9`);

  const statements: BankStatement[] = [];
  for (const s of stmts) {
    if (!s.opening && !s.accountIban && !s.accountId) warn('coda_missing', `statement starting at line ${s.line} has no record 1 (account and old balance)`, s.line);
    if (!s.closing) warn('coda_missing', `statement starting at line ${s.line} has no record 8 (new balance)`, s.line);
    const own = s.accountIban ?? s.accountId;
    if (own && s.closingAccount && !s.closingAccount.replace(/\s+/g, '').includes(own.replace(/\s+/g, '')))
      warn('coda_account', `record 8 names account "${s.closingAccount}", record 1 "${own}"`, s.line);
    const entries: BankEntry[] = [];
    for (const m of s.mains) entries.push(...toEntries(m, s, err, warn));
    if (s.opening && s.closing && s.opening.currency === s.closing.currency) {
      const sum = entries.reduce((a, e) => a + e.cents, 0);
      if (s.opening.cents + sum !== s.closing.cents)
        warn('balance_mismatch', `statement: old balance ${s.opening.cents} + movements ${sum} = ${s.opening.cents + sum} cents, but the new balance is ${s.closing.cents}`, s.line);
    }
    statements.push({
      format: 'coda',
      statementId: s.seqCoda ?? s.seqPaper,
      accountIban: s.accountIban,
      accountId: s.accountIban ? null : s.accountId,
      currency: s.currency,
      openingBalance: s.opening,
      closingBalance: s.closing,
      entries,
    });
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, value: { format: 'coda', statements }, warnings };
}

type Report = (code: string, message: string, line?: number, field?: string) => void;

function movement(f: (a: number, b: number) => string, lineNo: number, err: Report, warn: Report): Mv | null {
  const signCh = f(32, 32);
  const amount = f(33, 47);
  if (signCh !== '0' && signCh !== '1') {
    err('coda_bad_sign', `movement sign (position 32) is "${signCh}", not 0 (credit) or 1 (debit)`, lineNo, 'sign');
    return null;
  }
  const mills = millsOf(amount);
  if (mills === null) {
    err('coda_bad_amount', `movement amount (positions 33-47) "${amount}" is not 15 digits`, lineNo, 'amount');
    return null;
  }
  const entryDate = ddmmyy(f(116, 121));
  // six digits that are no date (300226: 30 February) refuse the file; blanks and garble only warn
  const dateReport = (raw: string): Report => (/^\d{6}$/.test(raw) ? err : warn);
  if (!entryDate && f(116, 121).trim() !== '' && f(116, 121) !== '000000') dateReport(f(116, 121))('coda_bad_date', `entry date (positions 116-121) "${f(116, 121)}" is not a date DDMMYY`, lineNo, 'entryDate');
  const valueRaw = f(48, 53);
  const valueDate = ddmmyy(valueRaw);
  if (!valueDate && valueRaw.trim() !== '' && valueRaw !== '000000') dateReport(valueRaw)('coda_bad_date', `value date (positions 48-53) "${valueRaw}" is not a date DDMMYY`, lineNo, 'valueDate');
  const code = f(54, 61);
  return {
    line: lineNo,
    seq: f(3, 6),
    detail: f(7, 10),
    ref: f(11, 31).trim(),
    sign: signCh === '1' ? -1 : 1,
    mills,
    valueDate,
    entryDate,
    code: code.trim(),
    type: code[0] ?? '0',
    structured: f(62, 62) === '1',
    comm: f(63, 115),
    customerRef: '',
    bic: '',
    rType: '',
    rReason: '',
    cpAccount: null,
    cpName: null,
    info: [],
    infoName: null,
    details: [],
    subs: [],
  };
}

/** Record 2.3 positions 11-47: account (Belgian 12 digits + currency, or IBAN/foreign up to 34 + currency), 48-82: name. */
function counterpartyAccount(f: (a: number, b: number) => string, mv: Mv, lineNo: number, warn: Report): void {
  const zone = f(11, 47);
  let name = f(48, 82);
  // Layout "IBAN(16) blank CCY(3)" leaves 31-47 blank; some files start the name right after the currency.
  if (/^[A-Z]{2}\d{14} [A-Z]{3}$/.test(f(11, 30)) && f(31, 47).trim() !== '') {
    warn('coda_counterparty', `record 2.3: the counterparty name starts at position 31 instead of 48; read from there`, lineNo, 'counterpartyName');
    name = f(31, 82);
    mv.cpAccount = f(11, 26);
  } else {
    const tokens = zone.trim().split(/\s+/).filter((t) => t !== '');
    mv.cpAccount = tokens[0] ?? null;
  }
  mv.cpName = collapse(name) || null;
}

function toEntries(m: Mv, s: Stmt, err: Report, warn: Report): BankEntry[] {
  const details = m.details;
  if (details.length) {
    const total = details.reduce((a, d) => a + d.sign * d.mills, 0);
    if (total === m.sign * m.mills) return details.map((d, i) => entry(d, m, i, details.length, s, err, warn));
    warn('coda_globalisation', `the ${details.length} details of movement ${m.seq} add up to ${fmtMills(total)}, the movement is ${fmtMills(m.sign * m.mills)}; kept as one entry`, m.line);
  }
  return [entry(m, null, 0, 1, s, err, warn)];
}

function entry(d: Mv, main: Mv | null, txIndex: number, txCount: number, s: Stmt, err: Report, warn: Report): BankEntry {
  let cents: number;
  if (d.mills % 10 === 0) cents = d.mills / 10;
  else {
    cents = Math.floor(d.mills / 10) + (d.mills % 10 >= 5 ? 1 : 0); // half away from zero (on the absolute value)
    warn('coda_amount_precision', `amount ${fmtMills(d.mills)} has a third decimal; rounded to ${cents} cents`, d.line, 'amount');
  }
  cents = d.sign * cents;
  if (cents === 0) cents = 0;

  let bookingDate = d.entryDate ?? main?.entryDate ?? null;
  if (!bookingDate) {
    const fb = d.valueDate ?? main?.valueDate ?? s.closing?.date ?? null;
    if (fb) {
      warn('coda_missing', `movement has no entry date; ${d.valueDate || main?.valueDate ? 'the value date' : 'the new balance date'} ${fb} is used`, d.line, 'entryDate');
      bookingDate = fb;
    } else {
      err('coda_missing', 'movement has no entry date (positions 116-121) and no other date to use', d.line, 'entryDate');
      bookingDate = '';
    }
  }

  const c = communication(d);
  const mainComm = main ? communication(main) : null;
  const sub = d.subs.map((x) => collapse(x.comm)).filter((t) => t !== '');
  // Information records continue each other at fixed widths (words may be split over two records): join raw, then tidy.
  const info = collapse([...d.info, ...d.subs.flatMap((x) => x.info)].join(''));
  const cpAccount = d.cpAccount ?? main?.cpAccount ?? null;
  const cpName = d.cpName ?? d.infoName ?? main?.cpName ?? main?.infoName ?? null;
  const bic = d.bic || main?.bic || '';
  const e2e = d.customerRef || '';

  let remittance = c.remittance;
  if (!remittance && !c.structuredRef && mainComm && !mainComm.structuredRef) remittance = mainComm.remittance;
  if (sub.length) remittance = [remittance, ...sub].filter((t) => t !== '').join(' ');

  if (bookingDate && ((s.opening && bookingDate < s.opening.date) || (s.closing && bookingDate > s.closing.date)))
    warn('coda_date_range', `entry date ${bookingDate} lies outside the statement period ${s.opening?.date ?? '…'} to ${s.closing?.date ?? '…'}`, d.line, 'entryDate');

  return {
    entryRef: (main?.ref || d.ref) || null,
    txIndex,
    txCount,
    bookingDate,
    valueDate: d.valueDate ?? main?.valueDate ?? null,
    cents,
    currency: s.currency ?? '',
    reversal: false,
    counterpartyName: cpName,
    counterpartyIban: cpAccount && isIbanLike(cpAccount) ? cpAccount : null,
    counterpartyBic: bic || null,
    structuredRef: c.structuredRef,
    endToEndId: e2e && e2e.toUpperCase() !== 'NOTPROVIDED' && e2e.toUpperCase() !== 'NOT PROVIDED' ? e2e : null,
    mandateId: c.mandateId,
    remittance,
    bankCode: d.code || null,
    returnReason: d.rReason || c.returnReason || null,
    info: info || null,
  };
}

/** Interpret the movement's communication (2.1 + 2.2 + 2.3 zones). */
function communication(m: Mv): { remittance: string; structuredRef: BankEntry['structuredRef']; mandateId: string | null; returnReason: string | null } {
  const none = { structuredRef: null, mandateId: null, returnReason: null };
  if (!m.structured) return { remittance: collapse(m.comm), ...none };
  const kind = m.comm.slice(0, 3);
  if (kind === '101' || kind === '102') {
    const value = m.comm.slice(3, 15);
    if (/^\d{12}$/.test(value)) return { remittance: collapse(m.comm.slice(15)), structuredRef: { issuer: null, value }, mandateId: null, returnReason: null };
  }
  if (kind === '127') {
    // 127: settlement date(6) DD type(1) scheme(1) paid/reason(1) creditor id(35) mandate(35) communication(62) R-type(1) reason(4)
    const c = m.comm.padEnd(149, ' ');
    return { remittance: collapse(c.slice(82, 144)), structuredRef: null, mandateId: c.slice(47, 82).trim() || null, returnReason: c.slice(145, 149).trim() || null };
  }
  return { remittance: collapse(m.comm), ...none };
}

function checkTrailer(s: Stmt, f: (a: number, b: number) => string, lineNo: number, warn: Report): void {
  const count = f(17, 22);
  if (/^\d{6}$/.test(count) && Number(count) !== s.records) warn('coda_trailer', `trailer counts ${Number(count)} records, the statement has ${s.records}`, lineNo, 'recordCount');
  const debit = millsOf(f(23, 37));
  const credit = millsOf(f(38, 52));
  let d = 0;
  let c = 0;
  for (const m of s.mains) {
    if (m.sign < 0) d += m.mills;
    else c += m.mills;
  }
  if (debit !== null && debit !== d) warn('coda_trailer', `trailer debit total is ${fmtMills(debit)}, the movements add up to ${fmtMills(d)}`, lineNo, 'debitTotal');
  if (credit !== null && credit !== c) warn('coda_trailer', `trailer credit total is ${fmtMills(credit)}, the movements add up to ${fmtMills(c)}`, lineNo, 'creditTotal');
}

function balance(signCh: string, amount: string, date: string, currency: string, lineNo: number, what: string, warn: Report): Balance | null {
  const mills = millsOf(amount);
  const d = ddmmyy(date);
  if (mills === null || !d) {
    warn('coda_bad_balance', `${what}: ${mills === null ? `amount "${amount}" is not 15 digits` : `date "${date}" is not DDMMYY`}; balance ignored`, lineNo, what);
    return null;
  }
  if (signCh !== '0' && signCh !== '1') warn('coda_bad_sign', `${what}: sign "${signCh}" is not 0 (credit) or 1 (debit); read as credit`, lineNo, what);
  let cents = mills % 10 === 0 ? mills / 10 : Math.floor(mills / 10) + (mills % 10 >= 5 ? 1 : 0);
  if (mills % 10 !== 0) warn('coda_amount_precision', `${what} ${fmtMills(mills)} has a third decimal; rounded to ${cents} cents`, lineNo, what);
  if (signCh === '1') cents = -cents;
  return { date: d, cents: cents === 0 ? 0 : cents, currency };
}

/** 15 digits with three implied decimals → thousandths; exact (via parseAmount on the decimal string). */
function millsOf(s: string): number | null {
  if (!/^\d{15}$/.test(s)) return null;
  const a = parseAmount(`${s.slice(0, 12)}.${s.slice(12, 14)}`, { decimal: '.' });
  return a.ok ? a.cents * 10 + Number(s[14]) : null;
}

function fmtMills(m: number): string {
  const neg = m < 0;
  const a = Math.abs(m);
  return `${neg ? '-' : ''}${Math.floor(a / 1000)}.${String(a % 1000).padStart(3, '0')}`;
}

/** DDMMYY → YYYY-MM-DD (years 70-99 → 19xx, else 20xx); null for blanks, zeros or invalid dates. */
function ddmmyy(s: string): string | null {
  if (!/^\d{6}$/.test(s) || s === '000000') return null;
  const yy = Number(s.slice(4, 6));
  const iso = `${yy >= 70 ? 1900 + yy : 2000 + yy}-${s.slice(2, 4)}-${s.slice(0, 2)}`;
  return isIsoDate(iso) ? iso : null;
}

function isIbanLike(s: string): boolean {
  return /^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(s.replace(/\s+/g, ''));
}

function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function decode(input: string | Uint8Array): string {
  if (typeof input === 'string') return input;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    return decodeWindows1252(input); // CODA files are usually Latin-1 / Windows-1252
  }
}
