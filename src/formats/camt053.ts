/**
 * CAMT.053 (BankToCustomerStatement) reader: XML text or bytes in, a `StatementFile` out.
 * Pure: no I/O. Read by local element name, so every version (camt.053.001.02, .04, .08, …) and
 * any namespace prefix work alike. Field map: LEGAL.md section 10.1.
 *
 * One `BankEntry` per `Ntry/NtryDtls/TxDtls` (a batch gives txIndex 0..n-1, txCount n); an `Ntry`
 * without `TxDtls` gives one entry. Amounts are parsed from the decimal string, never via floats.
 * Banks send files that fail their own XSD: where a sensible value exists we use it and add a
 * warning; only when no value can be found (no amount, no direction, no date at all) is the file refused.
 */
import type { Balance, BankEntry, BankStatement, FormatError, ParseResult, StatementFile } from '../domain/bank-statement.ts';
import { parseAmount } from '../domain/money.ts';
import { isIsoDate } from '../domain/dates.ts';
import { parseXml, child, children, at, textAt, all, type XmlElement } from './xml.ts';

type Problems = { errors: FormatError[]; warnings: FormatError[] };
type Pos = { line: number; column: number };

export function parseCamt053(input: string | Uint8Array): ParseResult<StatementFile> {
  const xml = parseXml(input);
  if (!xml.ok) {
    const e = xml.error;
    return { ok: false, errors: [{ code: e.code, message: e.message, ...(e.line !== undefined ? { line: e.line } : {}), ...(e.column !== undefined ? { column: e.column } : {}) }] };
  }
  const { root, namespace } = xml.doc;
  const p: Problems = { errors: [], warnings: [] };

  const body = root.name === 'BkToCstmrStmt' ? root : child(root, 'BkToCstmrStmt');
  if (!body) {
    const what = child(root, 'BkToCstmrAcctRpt') ? ' (it is a camt.052 account report)' : child(root, 'BkToCstmrDbtCdtNtfctn') ? ' (it is a camt.054 notification)' : '';
    return {
      ok: false,
      errors: [
        {
          code: 'camt_not_camt053',
          message: `not a CAMT.053 bank statement${what}: root element <${root.name}>${namespace ? ` in namespace ${namespace}` : ''} has no BkToCstmrStmt`,
          field: root.name,
        },
      ],
    };
  }
  if (namespace && !/camt\.053\./.test(namespace))
    p.warnings.push({ code: 'camt_namespace', message: `unexpected namespace ${namespace} for a CAMT.053 file; read by element names anyway`, field: root.name });
  if (!namespace) p.warnings.push({ code: 'camt_namespace', message: 'the document has no namespace; read as CAMT.053 by element names', field: root.name });

  const lines = elementLines(typeof input === 'string' ? input : new TextDecoder('utf-8').decode(input));
  const basePath = root.name === 'BkToCstmrStmt' ? 'BkToCstmrStmt' : `${root.name}/BkToCstmrStmt`;
  const stmts = children(body, 'Stmt');
  if (stmts.length === 0) return { ok: false, errors: [{ code: 'camt_no_statement', message: `${basePath} holds no Stmt element`, field: basePath }] };

  const grpCreated = textAt(body, 'GrpHdr/CreDtTm');
  let ntryCounter = 0;
  const statements: BankStatement[] = [];
  stmts.forEach((stmt, si) => {
    const sPath = `${basePath}/Stmt[${si + 1}]`;
    const res = readStatement(stmt, sPath, lines.Stmt[si], grpCreated, p, (k) => lines.Ntry[ntryCounter + k]);
    ntryCounter += children(stmt, 'Ntry').length;
    statements.push(res);
  });

  if (p.errors.length) return { ok: false, errors: p.errors };
  return { ok: true, value: { format: 'camt053', statements }, warnings: p.warnings };
}

// ------------------------------------------------------------------------------------ statement

function readStatement(stmt: XmlElement, path: string, pos: Pos | undefined, grpCreated: string | null, p: Problems, ntryPos: (k: number) => Pos | undefined): BankStatement {
  const loc = (field: string) => ({ field, ...posFields(pos) });
  const statementId = textAt(stmt, 'Id');
  if (!statementId) p.warnings.push({ code: 'camt_missing', message: `${path}/Id is missing`, ...loc(`${path}/Id`) });

  const accountIban = textAt(stmt, 'Acct/Id/IBAN')?.replace(/\s+/g, '') ?? null;
  const accountId = accountIban ? null : textAt(stmt, 'Acct/Id/Othr/Id');
  if (!accountIban && !accountId) p.warnings.push({ code: 'camt_missing', message: `${path}/Acct/Id has neither IBAN nor Othr/Id`, ...loc(`${path}/Acct/Id`) });

  const bals = children(stmt, 'Bal');
  const balOf = (codes: string[]): { el: XmlElement; index: number } | null => {
    for (const code of codes) {
      const index = bals.findIndex((b) => textAt(b, 'Tp/CdOrPrtry/Cd')?.toUpperCase() === code);
      if (index >= 0) return { el: bals[index]!, index };
    }
    return null;
  };
  const op = balOf(['OPBD', 'PRCD']);
  const cl = balOf(['CLBD']);
  const openingBalance = op ? readBalance(op.el, `${path}/Bal[${op.index + 1}]`, pos, p) : null;
  const closingBalance = cl ? readBalance(cl.el, `${path}/Bal[${cl.index + 1}]`, pos, p) : null;
  if (!op) p.warnings.push({ code: 'camt_no_opening_balance', message: `${path} has no opening balance (Bal with Tp/CdOrPrtry/Cd OPBD or PRCD)`, ...loc(path) });
  if (!cl) p.warnings.push({ code: 'camt_no_closing_balance', message: `${path} has no closing balance (Bal with Tp/CdOrPrtry/Cd CLBD)`, ...loc(path) });

  const acctCcy = textAt(stmt, 'Acct/Ccy');
  const stmtCurrency = acctCcy ?? openingBalance?.currency ?? closingBalance?.currency ?? null;

  // Fallback booking date for entries without BookgDt (seen in real files): closing balance date,
  // end of the statement period, statement creation, message creation.
  const fallbackDate =
    closingBalance?.date ?? datePart(textAt(stmt, 'FrToDt/ToDtTm')) ?? datePart(textAt(stmt, 'CreDtTm')) ?? datePart(grpCreated) ?? null;

  const entries: BankEntry[] = [];
  children(stmt, 'Ntry').forEach((ntry, ni) => {
    entries.push(...readEntry(ntry, `${path}/Ntry[${ni + 1}]`, ntryPos(ni), { accountIban, currency: stmtCurrency, fallbackDate }, p));
  });

  const currency = stmtCurrency ?? entries[0]?.currency ?? null;

  if (openingBalance && closingBalance && openingBalance.currency !== closingBalance.currency)
    p.warnings.push({ code: 'balance_currency_mismatch', message: `${path}: the opening balance is in ${openingBalance.currency}, the closing balance in ${closingBalance.currency}`, ...loc(path) });
  else if (openingBalance && closingBalance && currency && currency !== openingBalance.currency)
    p.warnings.push({ code: 'camt_balance_currency', message: `${path}: the account currency is ${currency}, the balances are in ${openingBalance.currency}`, ...loc(path) });
  if (openingBalance && closingBalance && openingBalance.currency === closingBalance.currency && entries.every((e) => e.currency === openingBalance.currency)) {
    const sum = entries.reduce((s, e) => s + e.cents, 0);
    if (openingBalance.cents + sum !== closingBalance.cents)
      p.warnings.push({
        code: 'balance_mismatch',
        message: `${path}: opening balance ${openingBalance.cents} + entries ${sum} = ${openingBalance.cents + sum} cents, but the closing balance is ${closingBalance.cents}`,
        ...loc(path),
      });
  }

  return { format: 'camt053', statementId, accountIban, accountId, currency, openingBalance, closingBalance, entries };
}

function readBalance(bal: XmlElement, path: string, pos: Pos | undefined, p: Problems): Balance | null {
  const l = posFields(pos);
  const amt = child(bal, 'Amt');
  const parsed = amt ? parseAmount(amt.text, { decimal: '.' }) : null;
  if (!amt || !parsed || !parsed.ok) {
    p.warnings.push({ code: 'camt_bad_balance', message: `${path}/Amt ${amt ? `is not an amount: "${amt.text}"` : 'is missing'}; balance ignored`, field: `${path}/Amt`, ...l });
    return null;
  }
  const date = readDate(bal, 'Dt');
  const written = writtenDate(bal, 'Dt');
  if (!date && written !== null) {
    p.errors.push({ code: 'camt_bad_date', message: `${path}/Dt "${written}" is not a date that exists (YYYY-MM-DD)`, field: `${path}/Dt`, ...l });
    return null;
  }
  if (!date) {
    p.warnings.push({ code: 'camt_bad_balance', message: `${path}/Dt has no valid Dt or DtTm; balance ignored`, field: `${path}/Dt`, ...l });
    return null;
  }
  const ind = textAt(bal, 'CdtDbtInd')?.toUpperCase() ?? null;
  let sign = 1;
  if (ind === 'DBIT') sign = -1;
  else if (ind !== 'CRDT')
    p.warnings.push({ code: 'camt_balance_sign', message: `${path}/CdtDbtInd is ${ind ? `"${ind}"` : 'missing'}; the balance is read as a credit (positive)`, field: `${path}/CdtDbtInd`, ...l });
  const currency = amt.attrs['Ccy'] ?? textAt(bal, 'Amt/Ccy') ?? '';
  if (!currency) p.warnings.push({ code: 'camt_missing', message: `${path}/Amt has no Ccy attribute`, field: `${path}/Amt`, ...l });
  return { date, cents: sign * parsed.cents === 0 ? 0 : sign * parsed.cents, currency };
}

// ------------------------------------------------------------------------------------ entries

type Ctx = { accountIban: string | null; currency: string | null; fallbackDate: string | null };

function readEntry(ntry: XmlElement, path: string, pos: Pos | undefined, ctx: Ctx, p: Problems): BankEntry[] {
  const l = posFields(pos);
  const where = (field: string) => `(${field}${pos ? `, Ntry at line ${pos.line}, column ${pos.column}` : ''})`;
  const err = (code: string, message: string, field: string) => p.errors.push({ code, message: `${message} ${where(field)}`, field, ...l });
  const warn = (code: string, message: string, field: string) => p.warnings.push({ code, message: `${message} ${where(field)}`, field, ...l });

  const txs = all(ntry, 'NtryDtls/TxDtls');

  // Amount and direction of the entry.
  const amtEl = child(ntry, 'Amt');
  let entryCents: number | null = null;
  if (!amtEl) err('camt_missing', 'entry amount is missing', `${path}/Amt`);
  else {
    const a = parseAmount(amtEl.text, { decimal: '.' });
    if (!a.ok) err('camt_bad_amount', `entry amount is not a valid amount: ${a.error}`, `${path}/Amt`);
    else entryCents = a.cents;
  }
  let entrySign = signOf(textAt(ntry, 'CdtDbtInd'));
  if (entrySign === null) {
    const txSigns = new Set(txs.map((t) => signOf(textAt(t, 'CdtDbtInd'))));
    const only = txSigns.size === 1 ? [...txSigns][0] : null;
    if (only) {
      entrySign = only;
      warn('camt_missing', `entry CdtDbtInd is ${textAt(ntry, 'CdtDbtInd') ? 'invalid' : 'missing'}; taken from TxDtls/CdtDbtInd`, `${path}/CdtDbtInd`);
    } else err('camt_missing', `entry CdtDbtInd (CRDT or DBIT) is ${textAt(ntry, 'CdtDbtInd') ? `invalid: "${textAt(ntry, 'CdtDbtInd')}"` : 'missing'}`, `${path}/CdtDbtInd`);
  }
  let currency = amtEl?.attrs['Ccy'] ?? null;
  if (!currency) {
    if (ctx.currency) {
      currency = ctx.currency;
      warn('camt_missing', `entry amount has no Ccy attribute; the statement currency ${ctx.currency} is used`, `${path}/Amt`);
    } else err('camt_missing', 'entry amount has no Ccy attribute and the statement has no currency', `${path}/Amt`);
  }

  // Dates.
  let bookingDate = readDate(ntry, 'BookgDt');
  const valueDate = readDate(ntry, 'ValDt');
  // A date the bank wrote but that does not exist (2026-02-30) refuses the file: replacing it would
  // book the payment on a day the bank never said. An empty element is treated as absent.
  for (const [name, value] of [['BookgDt', bookingDate], ['ValDt', valueDate]] as const) {
    const written = writtenDate(ntry, name);
    if (written !== null && !value) err('camt_bad_date', `${name} "${written}" is not a date that exists (YYYY-MM-DD)`, `${path}/${name}`);
    else if (child(ntry, name) && !value) warn('camt_bad_date', `${name} holds no Dt or DtTm`, `${path}/${name}`);
  }
  if (!bookingDate) {
    const fb = valueDate ?? ctx.fallbackDate;
    if (fb) {
      bookingDate = fb;
      warn('camt_missing', `entry has no booking date; ${valueDate ? 'the value date' : 'the statement date'} ${fb} is used`, `${path}/BookgDt`);
    } else err('camt_missing', 'entry has no booking date (BookgDt/Dt or BookgDt/DtTm) and no other date to use', `${path}/BookgDt`);
  }

  if (entryCents === null || entrySign === null || currency === null || bookingDate === null) return [];

  const reversal = /^(true|1)$/i.test(textAt(ntry, 'RvslInd') ?? '');
  const ntryRef = textAt(ntry, 'AcctSvcrRef');
  const ntryInfo = textAt(ntry, 'AddtlNtryInf');
  const n = Math.max(1, txs.length);
  if (txs.length === 0) {
    const nb = textAt(ntry, 'NtryDtls/Btch/NbOfTxs');
    if (nb && Number(nb) > 1) warn('camt_batch_without_details', `entry is a batch of ${nb} transactions reported without TxDtls; kept as one entry`, `${path}/NtryDtls`);
  }

  const entries: BankEntry[] = [];
  const list: (XmlElement | undefined)[] = txs.length ? txs : [undefined];
  let batchTotal = 0;
  let allOwn = txs.length > 1;
  list.forEach((tx, i) => {
    const tPath = tx ? `${path}/NtryDtls/TxDtls[${i + 1}]` : path;
    let cents = entrySign! * entryCents!;
    let txCurrency = currency!;
    if (tx && txs.length > 1) {
      const own = child(tx, 'Amt') ?? at(tx, 'AmtDtls/TxAmt/Amt');
      const a = own ? parseAmount(own.text, { decimal: '.' }) : null;
      if (own && a?.ok) {
        const s = signOf(textAt(tx, 'CdtDbtInd')) ?? entrySign!;
        cents = s * a.cents;
        const c = own.attrs['Ccy'];
        if (c && c !== currency) {
          warn('camt_currency', `transaction amount is in ${c}, the entry in ${currency}; the transaction's own amount is used`, `${tPath}/Amt`);
          txCurrency = c;
        }
      } else {
        allOwn = false;
        if (own) warn('camt_bad_amount', `transaction amount "${own.text}" is not valid; the entry amount is used`, `${tPath}/Amt`);
        else warn('camt_missing', 'batch transaction has no amount of its own; the entry amount is used', `${tPath}`);
      }
    }
    if (cents === 0) cents = 0; // no negative zero
    batchTotal += cents;

    const credit = cents > 0 || (cents === 0 && entrySign! > 0);
    const party = counterparty(tx, credit !== reversal, ctx.accountIban);
    const sref = structuredRef(tx);
    const e2e = textAt(tx, 'Refs/EndToEndId');
    const ustrd = all(tx, 'RmtInf/Ustrd')
      .map((u) => u.text)
      .filter((t) => t !== '');
    const txInfo = textAt(tx, 'AddtlTxInf');
    const info = [...new Set([txInfo, ntryInfo].filter((t): t is string => !!t))].join(' | ') || null;

    entries.push({
      entryRef: ntryRef ?? textAt(tx, 'Refs/AcctSvcrRef'),
      txIndex: i,
      txCount: n,
      bookingDate: bookingDate!,
      valueDate,
      cents,
      currency: txCurrency,
      reversal,
      counterpartyName: party.name,
      counterpartyIban: party.iban,
      counterpartyBic: party.bic,
      structuredRef: sref,
      endToEndId: e2e && e2e.toUpperCase() !== 'NOTPROVIDED' ? e2e : null,
      mandateId: textAt(tx, 'Refs/MndtId'),
      remittance: ustrd.join(' '),
      bankCode: bankCode(child(tx, 'BkTxCd')) ?? bankCode(child(ntry, 'BkTxCd')),
      returnReason: textAt(tx, 'RtrInf/Rsn/Cd') ?? textAt(tx, 'RtrInf/Rsn/Prtry'),
      info,
      ...sepaFields(tx, ntry, txs.length <= 1),
    });
  });
  if (allOwn && batchTotal !== entrySign! * entryCents!)
    warn('camt_batch_total', `the ${txs.length} transaction amounts add up to ${batchTotal} cents, the entry amount is ${entrySign! * entryCents!} cents`, `${path}/NtryDtls`);
  return entries;
}

/**
 * The other party. For money in that is the debtor, for money out the creditor; a reversal swaps
 * them (it reverses the original transaction, whose parties are reported). When that side is our
 * own account (returns, some banks' reporting) the other side is taken instead.
 */
function counterparty(tx: XmlElement | undefined, debtorSide: boolean, ownIban: string | null): { name: string | null; iban: string | null; bic: string | null } {
  const side = (d: boolean) => {
    const role = d ? 'Dbtr' : 'Cdtr';
    return {
      name: textAt(tx, `RltdPties/${role}/Nm`) ?? textAt(tx, `RltdPties/${role}/Pty/Nm`) ?? textAt(tx, `RltdPties/Ultmt${role}/Nm`) ?? textAt(tx, `RltdPties/Ultmt${role}/Pty/Nm`),
      iban: textAt(tx, `RltdPties/${role}Acct/Id/IBAN`)?.replace(/\s+/g, '') ?? null,
      bic: textAt(tx, `RltdAgts/${role}Agt/FinInstnId/BIC`) ?? textAt(tx, `RltdAgts/${role}Agt/FinInstnId/BICFI`),
    };
  };
  const main = side(debtorSide);
  if (ownIban && main.iban === ownIban) {
    const other = side(!debtorSide);
    if (other.iban !== ownIban && (other.name || other.iban)) return other;
  }
  return main;
}

/**
 * What the SEPA return loop needs (LEGAL.md 10.1): the batch's PmtInfId (the transaction's own, or
 * the entry's Btch when the bank books the batch as one line), the bank's words with a return
 * (RtrInf/AddtlInf) and the charges (Chrgs: the total, else the records, else camt.053.001.02's
 * list of Amt). Only fields the bank wrote are set. Charges of the entry count for its only
 * transaction, never for each of a batch.
 */
function sepaFields(tx: XmlElement | undefined, ntry: XmlElement, single: boolean): { paymentInfoId?: string; returnInfo?: string; chargesCents?: number } {
  const out: { paymentInfoId?: string; returnInfo?: string; chargesCents?: number } = {};
  const pmtInf = textAt(tx, 'Refs/PmtInfId') ?? textAt(ntry, 'NtryDtls/Btch/PmtInfId');
  if (pmtInf) out.paymentInfoId = pmtInf;
  const info = all(tx, 'RtrInf/AddtlInf').map((e) => e.text.trim()).filter((t) => t !== '');
  if (info.length) out.returnInfo = info.join(' ');
  const charges = chargesOf(tx) ?? (single ? chargesOf(ntry) : null);
  if (charges !== null) out.chargesCents = charges;
  return out;
}

function chargesOf(el: XmlElement | undefined): number | null {
  if (!el) return null;
  const blocks = children(el, 'Chrgs');
  if (!blocks.length) return null;
  const cents = (t: string | undefined | null): number | null => {
    if (!t) return null;
    const a = parseAmount(t, { decimal: '.' });
    return a.ok ? Math.abs(a.cents) : null;
  };
  let total = 0;
  let found = false;
  for (const b of blocks) {
    const ttl = cents(textAt(b, 'TtlChrgsAndTaxAmt'));
    if (ttl !== null) { total += ttl; found = true; continue; }
    const recs = children(b, 'Rcrd');
    const amounts = recs.length ? recs.map((r) => cents(textAt(r, 'Amt'))) : [cents(textAt(b, 'Amt'))];
    for (const a of amounts) if (a !== null) { total += a; found = true; }
  }
  return found ? total : null;
}

function structuredRef(tx: XmlElement | undefined): BankEntry['structuredRef'] {
  for (const cri of all(tx, 'RmtInf/Strd/CdtrRefInf')) {
    const value = textAt(cri, 'Ref');
    if (!value) continue;
    const issr = textAt(cri, 'Tp/Issr')?.toUpperCase() ?? null;
    return { issuer: issr === 'CUR' || issr === 'ISO' ? issr : null, value };
  }
  return null;
}

function bankCode(btc: XmlElement | undefined): string | null {
  if (!btc) return null;
  const domn = textAt(btc, 'Domn/Cd');
  if (domn) return [domn, textAt(btc, 'Domn/Fmly/Cd'), textAt(btc, 'Domn/Fmly/SubFmlyCd')].filter((x): x is string => !!x).join('/');
  return textAt(btc, 'Prtry/Cd');
}

function signOf(ind: string | null): 1 | -1 | null {
  const s = ind?.toUpperCase();
  return s === 'CRDT' ? 1 : s === 'DBIT' ? -1 : null;
}

/** `<X><Dt>…</Dt></X>` or `<X><DtTm>…</DtTm></X>`: the date as written (date part of a DtTm). */
function readDate(el: XmlElement, name: string): string | null {
  const holder = child(el, name);
  if (!holder) return null;
  const d = textAt(holder, 'Dt');
  if (d && isIsoDate(d)) return d;
  return datePart(textAt(holder, 'DtTm'));
}

/** The text of `<X><Dt>` or `<X><DtTm>` as written, or null when the element holds neither. */
function writtenDate(el: XmlElement, name: string): string | null {
  const holder = child(el, name);
  return holder ? (textAt(holder, 'Dt') ?? textAt(holder, 'DtTm')) : null;
}

function datePart(s: string | null): string | null {
  if (!s) return null;
  const d = s.slice(0, 10);
  return isIsoDate(d) ? d : null;
}

// ------------------------------------------------------------------------------------ line numbers

function posFields(pos: Pos | undefined): { line?: number; column?: number } {
  return pos ? { line: pos.line, column: pos.column } : {};
}

/**
 * The XML reader keeps no positions, so find where each Stmt and Ntry starts by scanning the text
 * (comments, CDATA and processing instructions blanked out first, newlines kept). The k-th match
 * is the k-th element in document order; used only to put line numbers on messages.
 */
function elementLines(text: string): { Stmt: Pos[]; Ntry: Pos[] } {
  const clean = text.replace(/<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>/g, (m) => m.replace(/[^\n]/g, ' '));
  const out = { Stmt: [] as Pos[], Ntry: [] as Pos[] };
  const re = /<(?:[A-Za-z_][\w.-]*:)?(Stmt|Ntry)(?=[\s>/])/g;
  let line = 1;
  let lineStart = 0;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(clean))) {
    for (let i = last; i < m.index; i++)
      if (clean.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    last = m.index;
    out[m[1] as 'Stmt' | 'Ntry'].push({ line, column: m.index - lineStart + 1 });
  }
  return out;
}
