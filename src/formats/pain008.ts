/**
 * Writes SEPA direct debit initiations: pain.008.001.08 (the 2019 version, default) and
 * pain.008.001.02 (2009) — both accepted by ING and ABN AMRO, .02 by Rabobank (LEGAL.md 9.1).
 * Follows the EPC SDD Core/B2B implementation guidelines as the Betaalvereniging Nederland IG
 * applies them: one PmtInf per (creditor account, scheme, sequence type, collection date), the
 * creditor identifier once per PmtInf, `EndToEndId` = the key of the claim (returned in
 * R-transactions), amounts as decimals from integer cents, the SEPA character set, the amendment
 * indicator with the original data when a mandate's id or IBAN changed (LEGAL.md 9.3).
 * Pure: validates and returns problems naming the field, or the XML. The tests validate every
 * written file against the official XSD.
 */
import type { IsoDate } from '../domain/dates.ts';
import { isValidIban, normalizeIban } from '../domain/references.ts';
import type { Scheme, SequenceType } from '../domain/sepa/mandate.ts';
import { creditorIdProblem } from '../domain/sepa/mandate.ts';
import {
  account, address, agent, Checker, decimal, el, isIsoDateTime, remittance, text,
  type Remittance, type SepaProblem, type StructuredAddress,
} from './sepa-xml.ts';

export type Pain008Version = 'pain.008.001.08' | 'pain.008.001.02';
export const PAIN008_VERSIONS: readonly Pain008Version[] = ['pain.008.001.08', 'pain.008.001.02'];

export type MandateAmendment = {
  /** The mandate id before it changed (OrgnlMndtId). */
  readonly originalMandateId?: string | null;
  /** The debtor's IBAN before it changed (OrgnlDbtrAcct, or SMNDA when the bank changed). */
  readonly originalIban?: string | null;
};

export type DirectDebit = {
  readonly endToEndId: string;
  readonly amountCents: number;
  readonly collectionDate: IsoDate;
  readonly scheme: Scheme;
  readonly sequenceType: SequenceType;
  readonly creditorIban: string;
  readonly creditorBic?: string | null;
  readonly mandateId: string;
  readonly signatureDate: IsoDate;
  readonly amendment?: MandateAmendment | null;
  readonly debtorName: string;
  readonly debtorIban: string;
  readonly debtorBic?: string | null;
  readonly debtorAddress?: StructuredAddress | null;
  readonly remittance: Remittance;
};

export type DirectDebitFile = {
  readonly messageId: string;
  /** ISODateTime without zone: `2026-12-03T09:15:00`. */
  readonly createdAt: string;
  readonly creditorName: string;
  readonly creditorId: string;
  readonly creditorAddress?: StructuredAddress | null;
  readonly debits: readonly DirectDebit[];
};

export type PaymentInfoSummary = {
  readonly paymentInfoId: string;
  readonly creditorIban: string;
  readonly scheme: Scheme;
  readonly sequenceType: SequenceType;
  readonly collectionDate: IsoDate;
  readonly count: number;
  readonly totalCents: number;
  /** Indexes into `debits`, in file order. */
  readonly debits: readonly number[];
};

export type Pain008Result =
  | { ok: true; xml: string; count: number; totalCents: number; paymentInfos: readonly PaymentInfoSummary[] }
  | { ok: false; problems: readonly SepaProblem[] };

/** Dutch IBANs carry the bank in characters 5–8; a change there means a new debtor bank (SMNDA). */
function sameBank(a: string, b: string): boolean | null {
  if (a.startsWith('NL') && b.startsWith('NL')) return a.slice(4, 8) === b.slice(4, 8);
  return a.slice(0, 2) === b.slice(0, 2) ? null : false;
}

export function writePain008(file: DirectDebitFile, version: Pain008Version = 'pain.008.001.08'): Pain008Result {
  const generation = version === 'pain.008.001.08' ? 2019 : 2009;
  const c = new Checker();
  c.identifier(null, 'messageId', file.messageId);
  if (!isIsoDateTime(file.createdAt)) c.problem(null, 'createdAt', 'invalid_datetime', `createdAt must be YYYY-MM-DDTHH:MM:SS, got "${file.createdAt}"`);
  const creditorName = c.name(null, 'creditorName', file.creditorName, 70);
  if (creditorIdProblem(file.creditorId)) c.problem(null, 'creditorId', 'invalid_creditor_id', `creditorId "${file.creditorId}" is not a valid SEPA creditor identifier`);
  const creditorId = file.creditorId.replace(/\s+/g, '').toUpperCase();
  if (file.debits.length === 0) c.problem(null, 'debits', 'empty', 'a direct debit file needs at least one collection');

  const seen = new Set<string>();
  const groups = new Map<string, number[]>();
  file.debits.forEach((d, i) => {
    c.identifier(i, 'endToEndId', d.endToEndId);
    if (seen.has(d.endToEndId)) c.problem(i, 'endToEndId', 'duplicate', `endToEndId "${d.endToEndId}" occurs twice in the file`);
    seen.add(d.endToEndId);
    c.amount(i, 'amount', d.amountCents);
    c.iban(i, 'creditorIban', d.creditorIban);
    c.bic(i, 'creditorBic', d.creditorBic);
    c.identifier(i, 'mandateId', d.mandateId);
    c.iban(i, 'debtorIban', d.debtorIban);
    c.bic(i, 'debtorBic', d.debtorBic);
    c.name(i, 'debtorName', d.debtorName, 70);
    c.remittance(i, d.remittance);
    if (d.signatureDate > d.collectionDate) c.problem(i, 'signatureDate', 'after_collection', `the mandate was signed (${d.signatureDate}) after the collection date ${d.collectionDate}`);
    if (d.amendment?.originalMandateId) c.identifier(i, 'amendment.originalMandateId', d.amendment.originalMandateId);
    if (d.amendment?.originalIban) c.iban(i, 'amendment.originalIban', d.amendment.originalIban);
    const key = [normalizeIban(d.creditorIban), d.scheme, d.sequenceType, d.collectionDate].join('|');
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  });
  if (groups.size > 99) c.problem(null, 'debits', 'too_many_groups', 'more than 99 payment information blocks in one file');
  if (c.problems.length > 0) return { ok: false, problems: c.problems };

  const infos: PaymentInfoSummary[] = [];
  const blocks: string[] = [];
  let n = 0;
  for (const [key, idx] of [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    n++;
    const [creditorIban, scheme, seq, date] = key.split('|') as [string, Scheme, SequenceType, IsoDate];
    const first = file.debits[idx[0]!]!;
    const totalCents = idx.reduce((s, i) => s + file.debits[i]!.amountCents, 0);
    const paymentInfoId = `${file.messageId.slice(0, 31)}-${String(n).padStart(2, '0')}`;
    infos.push({ paymentInfoId, creditorIban, scheme, sequenceType: seq, collectionDate: date, count: idx.length, totalCents, debits: idx });
    const txs = idx.map((i) => transaction(file.debits[i]!, generation)).join('');
    blocks.push(el('PmtInf',
      text('PmtInfId', paymentInfoId) + text('PmtMtd', 'DD') + text('BtchBookg', 'true') +
      text('NbOfTxs', String(idx.length)) + text('CtrlSum', decimal(totalCents)) +
      el('PmtTpInf', el('SvcLvl', text('Cd', 'SEPA')) + el('LclInstrm', text('Cd', scheme)) + text('SeqTp', seq)) +
      text('ReqdColltnDt', date) +
      el('Cdtr', text('Nm', creditorName) + (file.creditorAddress ? address(file.creditorAddress) : '')) +
      el('CdtrAcct', account(creditorIban)) +
      el('CdtrAgt', agent(first.creditorBic?.replace(/\s+/g, '').toUpperCase(), generation)) +
      text('ChrgBr', 'SLEV') +
      el('CdtrSchmeId', schemeId(creditorId)) +
      txs));
  }
  const count = file.debits.length;
  const totalCents = file.debits.reduce((s, d) => s + d.amountCents, 0);
  const xml = '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:${version}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    el('CstmrDrctDbtInitn',
      el('GrpHdr', text('MsgId', file.messageId) + text('CreDtTm', file.createdAt) + text('NbOfTxs', String(count)) +
        text('CtrlSum', decimal(totalCents)) + el('InitgPty', text('Nm', creditorName))) +
      blocks.join('')) +
    '</Document>\n';
  return { ok: true, xml, count, totalCents, paymentInfos: infos };
}

function schemeId(creditorId: string): string {
  return el('Id', el('PrvtId', el('Othr', text('Id', creditorId) + el('SchmeNm', text('Prtry', 'SEPA')))));
}

function amendmentXml(d: DirectDebit): string {
  const a = d.amendment;
  const origId = a?.originalMandateId && a.originalMandateId !== d.mandateId ? a.originalMandateId : null;
  const origIban = a?.originalIban && isValidIban(a.originalIban) && normalizeIban(a.originalIban) !== normalizeIban(d.debtorIban) ? normalizeIban(a.originalIban) : null;
  if (!origId && !origIban) return text('AmdmntInd', 'false');
  let details = '';
  if (origId) details += text('OrgnlMndtId', origId);
  if (origIban) {
    // EPC IG: a new account at the same bank → OrgnlDbtrAcct; at another bank → OrgnlDbtrAgt "SMNDA".
    if (sameBank(origIban, normalizeIban(d.debtorIban)) === false) details += el('OrgnlDbtrAgt', el('FinInstnId', el('Othr', text('Id', 'SMNDA'))));
    else details += el('OrgnlDbtrAcct', account(origIban));
  }
  return text('AmdmntInd', 'true') + el('AmdmntInfDtls', details);
}

function transaction(d: DirectDebit, generation: 2009 | 2019): string {
  const t = new Checker();
  const debtorName = t.name(null, 'debtorName', d.debtorName, 70);
  const rem = t.remittance(0, d.remittance);
  return el('DrctDbtTxInf',
    el('PmtId', text('EndToEndId', d.endToEndId)) +
    `<InstdAmt Ccy="EUR">${decimal(d.amountCents)}</InstdAmt>` +
    el('DrctDbtTx', el('MndtRltdInf', text('MndtId', d.mandateId) + text('DtOfSgntr', d.signatureDate) + amendmentXml(d))) +
    el('DbtrAgt', agent(d.debtorBic?.replace(/\s+/g, '').toUpperCase(), generation)) +
    el('Dbtr', text('Nm', debtorName) + (d.debtorAddress ? address(d.debtorAddress) : '')) +
    el('DbtrAcct', account(d.debtorIban)) +
    remittance(rem));
}
