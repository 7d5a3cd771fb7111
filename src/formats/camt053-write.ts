/**
 * Writes a CAMT.053.001.02 statement (the version Dutch banks send). Used for the demo data and
 * the benchmarks' generated statements; read back by camt053.ts. Pure.
 */
import type { BankEntry, BankStatement } from '../domain/bank-statement.ts';
import { formatCents } from '../domain/money.ts';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const amt = (cents: number): string => formatCents(Math.abs(cents));

function entryXml(e: BankEntry, i: number): string {
  const credit = e.cents >= 0;
  const party = credit ? 'Dbtr' : 'Cdtr';
  const parts: string[] = [];
  parts.push(`<Ntry><NtryRef>${i + 1}</NtryRef><Amt Ccy="${esc(e.currency)}">${amt(e.cents)}</Amt><CdtDbtInd>${credit ? 'CRDT' : 'DBIT'}</CdtDbtInd>`);
  if (e.reversal) parts.push('<RvslInd>true</RvslInd>');
  parts.push(`<Sts>BOOK</Sts><BookgDt><Dt>${e.bookingDate}</Dt></BookgDt><ValDt><Dt>${e.valueDate ?? e.bookingDate}</Dt></ValDt>`);
  if (e.entryRef) parts.push(`<AcctSvcrRef>${esc(e.entryRef)}</AcctSvcrRef>`);
  const [domain, family, sub] = (e.bankCode ?? `PMNT/${credit ? 'RCDT' : 'ICDT'}/ESCT`).split('/');
  parts.push(`<BkTxCd><Domn><Cd>${esc(domain ?? 'PMNT')}</Cd><Fmly><Cd>${esc(family ?? 'RCDT')}</Cd><SubFmlyCd>${esc(sub ?? 'ESCT')}</SubFmlyCd></Fmly></Domn></BkTxCd>`);
  parts.push('<NtryDtls><TxDtls><Refs>');
  if (e.paymentInfoId) parts.push(`<PmtInfId>${esc(e.paymentInfoId)}</PmtInfId>`);
  parts.push(`<EndToEndId>${esc(e.endToEndId ?? 'NOTPROVIDED')}</EndToEndId>`);
  if (e.mandateId) parts.push(`<MndtId>${esc(e.mandateId)}</MndtId>`);
  parts.push('</Refs>');
  if (e.chargesCents) parts.push(`<Chrgs><Amt Ccy="${esc(e.currency)}">${amt(e.chargesCents)}</Amt><CdtDbtInd>DBIT</CdtDbtInd></Chrgs>`);
  if (e.counterpartyName || e.counterpartyIban) {
    parts.push('<RltdPties>');
    if (e.counterpartyName) parts.push(`<${party}><Nm>${esc(e.counterpartyName)}</Nm></${party}>`);
    if (e.counterpartyIban) parts.push(`<${party}Acct><Id><IBAN>${esc(e.counterpartyIban)}</IBAN></Id></${party}Acct>`);
    parts.push('</RltdPties>');
  }
  if (e.counterpartyBic) parts.push(`<RltdAgts><${party}Agt><FinInstnId><BIC>${esc(e.counterpartyBic)}</BIC></FinInstnId></${party}Agt></RltdAgts>`);
  if (e.structuredRef || e.remittance) {
    parts.push('<RmtInf>');
    if (e.remittance) parts.push(`<Ustrd>${esc(e.remittance.slice(0, 140))}</Ustrd>`);
    if (e.structuredRef)
      parts.push(`<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry>${e.structuredRef.issuer ? `<Issr>${e.structuredRef.issuer}</Issr>` : ''}</Tp><Ref>${esc(e.structuredRef.value)}</Ref></CdtrRefInf></Strd>`);
    parts.push('</RmtInf>');
  }
  if (e.returnReason) parts.push(`<RtrInf><Rsn><Cd>${esc(e.returnReason)}</Cd></Rsn>${e.returnInfo ? `<AddtlInf>${esc(e.returnInfo.slice(0, 105))}</AddtlInf>` : ''}</RtrInf>`);
  parts.push('</TxDtls></NtryDtls>');
  if (e.info) parts.push(`<AddtlNtryInf>${esc(e.info.slice(0, 500))}</AddtlNtryInf>`);
  parts.push('</Ntry>');
  return parts.join('');
}

function balanceXml(code: 'OPBD' | 'CLBD', b: { date: string; cents: number; currency: string }): string {
  return `<Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp><Amt Ccy="${esc(b.currency)}">${amt(b.cents)}</Amt><CdtDbtInd>${b.cents >= 0 ? 'CRDT' : 'DBIT'}</CdtDbtInd><Dt><Dt>${b.date}</Dt></Dt></Bal>`;
}

export function writeCamt053(st: Pick<BankStatement, 'statementId' | 'accountIban' | 'currency' | 'openingBalance' | 'closingBalance' | 'entries'>, opts: { messageId?: string; createdAt?: string } = {}): string {
  const created = opts.createdAt ?? `${st.closingBalance?.date ?? st.entries[0]?.bookingDate ?? '2026-01-01'}T00:00:00`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
    `<BkToCstmrStmt><GrpHdr><MsgId>${esc(opts.messageId ?? st.statementId ?? 'VORDER')}</MsgId><CreDtTm>${created}</CreDtTm></GrpHdr>`,
    `<Stmt><Id>${esc(st.statementId ?? 'VORDER')}</Id><CreDtTm>${created}</CreDtTm>`,
    `<Acct><Id><IBAN>${esc(st.accountIban ?? '')}</IBAN></Id><Ccy>${esc(st.currency ?? 'EUR')}</Ccy></Acct>`,
    st.openingBalance ? balanceXml('OPBD', st.openingBalance) : '',
    st.closingBalance ? balanceXml('CLBD', st.closingBalance) : '',
    ...st.entries.map(entryXml),
    '</Stmt></BkToCstmrStmt></Document>',
    '',
  ].join('\n');
}
