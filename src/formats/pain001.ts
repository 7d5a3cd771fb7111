/**
 * Writes SEPA credit transfer initiations for refunds: pain.001.001.09 (2019, default) and
 * pain.001.001.03 (2009), as accepted by Dutch banks (LEGAL.md 9.1). One PmtInf per (debtor
 * account, execution date); in .09 the execution date is `<ReqdExctnDt><Dt>…</Dt></ReqdExctnDt>`,
 * in .03 a plain date; `BICFI` vs `BIC`. Pure; the tests validate every written file against the
 * official XSD.
 */
import type { IsoDate } from '../domain/dates.ts';
import { normalizeIban } from '../domain/references.ts';
import {
  account, address, agent, Checker, decimal, el, isIsoDateTime, remittance, text,
  type Remittance, type SepaProblem, type StructuredAddress,
} from './sepa-xml.ts';

export type Pain001Version = 'pain.001.001.09' | 'pain.001.001.03';
export const PAIN001_VERSIONS: readonly Pain001Version[] = ['pain.001.001.09', 'pain.001.001.03'];

export type CreditTransfer = {
  readonly endToEndId: string;
  readonly amountCents: number;
  readonly executionDate: IsoDate;
  readonly debtorIban: string;
  readonly debtorBic?: string | null;
  readonly creditorName: string;
  readonly creditorIban: string;
  readonly creditorBic?: string | null;
  readonly creditorAddress?: StructuredAddress | null;
  readonly remittance: Remittance;
};

export type CreditTransferFile = {
  readonly messageId: string;
  readonly createdAt: string;
  readonly debtorName: string;
  readonly debtorAddress?: StructuredAddress | null;
  readonly transfers: readonly CreditTransfer[];
};

export type Pain001Result =
  | { ok: true; xml: string; count: number; totalCents: number }
  | { ok: false; problems: readonly SepaProblem[] };

export function writePain001(file: CreditTransferFile, version: Pain001Version = 'pain.001.001.09'): Pain001Result {
  const generation = version === 'pain.001.001.09' ? 2019 : 2009;
  const c = new Checker();
  c.identifier(null, 'messageId', file.messageId);
  if (!isIsoDateTime(file.createdAt)) c.problem(null, 'createdAt', 'invalid_datetime', `createdAt must be YYYY-MM-DDTHH:MM:SS, got "${file.createdAt}"`);
  const debtorName = c.name(null, 'debtorName', file.debtorName, 70);
  if (file.transfers.length === 0) c.problem(null, 'transfers', 'empty', 'a credit transfer file needs at least one payment');
  const seen = new Set<string>();
  const groups = new Map<string, number[]>();
  const names: string[] = [];
  const rems: Remittance[] = [];
  file.transfers.forEach((t, i) => {
    c.identifier(i, 'endToEndId', t.endToEndId);
    if (seen.has(t.endToEndId)) c.problem(i, 'endToEndId', 'duplicate', `endToEndId "${t.endToEndId}" occurs twice in the file`);
    seen.add(t.endToEndId);
    c.amount(i, 'amount', t.amountCents);
    c.iban(i, 'debtorIban', t.debtorIban);
    c.bic(i, 'debtorBic', t.debtorBic);
    c.iban(i, 'creditorIban', t.creditorIban);
    c.bic(i, 'creditorBic', t.creditorBic);
    names.push(c.name(i, 'creditorName', t.creditorName, 70));
    rems.push(c.remittance(i, t.remittance));
    const key = `${normalizeIban(t.debtorIban)}|${t.executionDate}`;
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  });
  if (c.problems.length > 0) return { ok: false, problems: c.problems };

  const blocks: string[] = [];
  let n = 0;
  for (const [key, idx] of [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    n++;
    const [debtorIban, date] = key.split('|') as [string, IsoDate];
    const first = file.transfers[idx[0]!]!;
    const total = idx.reduce((s, i) => s + file.transfers[i]!.amountCents, 0);
    const exec = generation === 2019 ? el('ReqdExctnDt', text('Dt', date)) : text('ReqdExctnDt', date);
    const txs = idx.map((i) => {
      const t = file.transfers[i]!;
      const bic = t.creditorBic?.replace(/\s+/g, '').toUpperCase();
      return el('CdtTrfTxInf',
        el('PmtId', text('EndToEndId', t.endToEndId)) +
        el('Amt', `<InstdAmt Ccy="EUR">${decimal(t.amountCents)}</InstdAmt>`) +
        (bic ? el('CdtrAgt', agent(bic, generation)) : '') +
        el('Cdtr', text('Nm', names[i]!) + (t.creditorAddress ? address(t.creditorAddress) : '')) +
        el('CdtrAcct', account(t.creditorIban)) +
        remittance(rems[i]!));
    }).join('');
    blocks.push(el('PmtInf',
      text('PmtInfId', `${file.messageId.slice(0, 31)}-${String(n).padStart(2, '0')}`) + text('PmtMtd', 'TRF') + text('BtchBookg', 'true') +
      text('NbOfTxs', String(idx.length)) + text('CtrlSum', decimal(total)) +
      el('PmtTpInf', el('SvcLvl', text('Cd', 'SEPA'))) + exec +
      el('Dbtr', text('Nm', debtorName) + (file.debtorAddress ? address(file.debtorAddress) : '')) +
      el('DbtrAcct', account(debtorIban)) +
      el('DbtrAgt', agent(first.debtorBic?.replace(/\s+/g, '').toUpperCase(), generation)) +
      text('ChrgBr', 'SLEV') + txs));
  }
  const count = file.transfers.length;
  const totalCents = file.transfers.reduce((s, t) => s + t.amountCents, 0);
  const xml = '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:${version}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    el('CstmrCdtTrfInitn',
      el('GrpHdr', text('MsgId', file.messageId) + text('CreDtTm', file.createdAt) + text('NbOfTxs', String(count)) +
        text('CtrlSum', decimal(totalCents)) + el('InitgPty', text('Nm', debtorName))) +
      blocks.join('')) +
    '</Document>\n';
  return { ok: true, xml, count, totalCents };
}
