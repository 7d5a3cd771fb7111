import { describe, expect, it } from 'vitest';
import { PAIN008_VERSIONS, writePain008, type DirectDebit, type DirectDebitFile } from '../../src/formats/pain008.ts';
import { all, parseXml, textAt, type XmlElement } from '../../src/formats/xml.ts';
import { readSample, sampleFiles } from '../support/samples.ts';
import { validateXsd } from '../support/xsd.ts';

const aDebit = (over: Partial<DirectDebit> = {}): DirectDebit => ({
  endToEndId: 'INV-2026-0001',
  amountCents: 12100,
  collectionDate: '2026-12-08',
  scheme: 'CORE',
  sequenceType: 'RCUR',
  creditorIban: 'NL91ABNA0417164300',
  creditorBic: 'ABNANL2A',
  mandateId: 'M-0001',
  signatureDate: '2025-01-15',
  debtorName: 'Jansen Installatietechniek B.V.',
  debtorIban: 'NL44RABO0123456789',
  debtorBic: null,
  remittance: { kind: 'text', text: 'Factuur INV-2026-0001' },
  ...over,
});

const aFile = (debits: DirectDebit[], over: Partial<DirectDebitFile> = {}): DirectDebitFile => ({
  messageId: 'VORDER-B1',
  createdAt: '2026-12-03T09:15:00',
  creditorName: 'Vorder Demo B.V.',
  creditorId: 'NL06ZZZ503992920000',
  debits,
  ...over,
});

function writeValid(file: DirectDebitFile, version: (typeof PAIN008_VERSIONS)[number]): XmlElement {
  const r = writePain008(file, version);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  const v = validateXsd(r.xml, version);
  expect(v.output, v.file).toBe('');
  expect(v.ok).toBe(true);
  const p = parseXml(r.xml);
  if (!p.ok) throw new Error(p.error.message);
  return p.doc.root;
}

describe.each(PAIN008_VERSIONS)('%s', (version) => {
  it('one collection: XSD-valid, amounts from cents, creditor id per PmtInf', () => {
    const root = writeValid(aFile([aDebit()]), version);
    expect(textAt(root, 'CstmrDrctDbtInitn/GrpHdr/CtrlSum')).toBe('121.00');
    expect(textAt(root, 'CstmrDrctDbtInitn/PmtInf/CdtrSchmeId/Id/PrvtId/Othr/Id')).toBe('NL06ZZZ503992920000');
    expect(textAt(root, 'CstmrDrctDbtInitn/PmtInf/DrctDbtTxInf/PmtId/EndToEndId')).toBe('INV-2026-0001');
    expect(textAt(root, 'CstmrDrctDbtInitn/PmtInf/DrctDbtTxInf/DbtrAgt/FinInstnId/Othr/Id')).toBe('NOTPROVIDED');
    const bic = version === 'pain.008.001.08' ? 'BICFI' : 'BIC';
    expect(textAt(root, `CstmrDrctDbtInitn/PmtInf/CdtrAgt/FinInstnId/${bic}`)).toBe('ABNANL2A');
  });

  it('one PmtInf per (creditor account, scheme, sequence, date), control sums per block and in total', () => {
    const debits = [
      aDebit({ endToEndId: 'A1', amountCents: 1 }),
      aDebit({ endToEndId: 'A2', amountCents: 99_999_999_999 }),
      aDebit({ endToEndId: 'B1', scheme: 'B2B', amountCents: 5050 }),
      aDebit({ endToEndId: 'C1', sequenceType: 'OOFF', amountCents: 10 }),
      aDebit({ endToEndId: 'D1', collectionDate: '2026-12-09' }),
      aDebit({ endToEndId: 'E1', creditorIban: 'NL20INGB0001234567', creditorBic: 'INGBNL2A' }),
      aDebit({ endToEndId: 'F1', sequenceType: 'FRST' }),
      aDebit({ endToEndId: 'G1', sequenceType: 'FNAL' }),
    ];
    const r = writePain008(aFile(debits), version);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.paymentInfos).toHaveLength(7);
    expect(r.count).toBe(8);
    expect(r.totalCents).toBe(1 + 99_999_999_999 + 5050 + 10 + 12100 * 4);
    const root = writeValid(aFile(debits), version);
    expect(textAt(root, 'CstmrDrctDbtInitn/GrpHdr/CtrlSum')).toBe('1000000534.60');
    const blocks = all(root, 'CstmrDrctDbtInitn/PmtInf');
    expect(blocks).toHaveLength(7);
    const withTwo = blocks.find((b) => textAt(b, 'NbOfTxs') === '2')!;
    expect(textAt(withTwo, 'CtrlSum')).toBe('1000000000.00');
    expect(new Set(blocks.map((b) => textAt(b, 'PmtInfId'))).size).toBe(7);
  });

  it('escapes XML and transliterates names into the SEPA character set', () => {
    const root = writeValid(aFile([aDebit({ debtorName: 'Müller & Söhne <GmbH> "Zürich"', remittance: { kind: 'text', text: "Factuur 12 & 13 voor O'Brien" } })],
      { creditorName: 'Café Ærø' }), version);
    expect(textAt(root, 'CstmrDrctDbtInitn/PmtInf/DrctDbtTxInf/Dbtr/Nm')).toBe("Muller + Sohne (GmbH) 'Zurich'");
    expect(textAt(root, 'CstmrDrctDbtInitn/PmtInf/DrctDbtTxInf/RmtInf/Ustrd')).toBe("Factuur 12 + 13 voor O'Brien");
    expect(textAt(root, 'CstmrDrctDbtInitn/PmtInf/Cdtr/Nm')).toBe('Cafe AEro');
  });

  it('a structured creditor reference (CUR betalingskenmerk) is XSD-valid', () => {
    const root = writeValid(aFile([aDebit({ remittance: { kind: 'reference', issuer: 'CUR', reference: '5000056789012345' } })]), version);
    expect(textAt(root, 'CstmrDrctDbtInitn/PmtInf/DrctDbtTxInf/RmtInf/Strd/CdtrRefInf/Tp/Issr')).toBe('CUR');
    expect(textAt(root, 'CstmrDrctDbtInitn/PmtInf/DrctDbtTxInf/RmtInf/Strd/CdtrRefInf/Ref')).toBe('5000056789012345');
  });

  it('structured addresses for creditor and debtor', () => {
    writeValid(aFile([aDebit({ debtorAddress: { street: 'Bahnhofstrasse', buildingNumber: '1', postCode: '8001', town: 'Zürich', country: 'CH' } })],
      { creditorAddress: { street: 'Dorpstraat', buildingNumber: '1', postCode: '1234 AB', town: 'Amsterdam', country: 'NL' } }), version);
  });

  it('amendment: new mandate id, new IBAN at the same bank, new bank (SMNDA)', () => {
    const root = writeValid(aFile([
      aDebit({ endToEndId: 'X1', amendment: { originalMandateId: 'OLD-1' } }),
      aDebit({ endToEndId: 'X2', debtorIban: 'NL44RABO0123456789', amendment: { originalIban: 'NL66RABO0123456781' } }),
      aDebit({ endToEndId: 'X3', debtorIban: 'NL44RABO0123456789', amendment: { originalIban: 'NL91ABNA0417164300', originalMandateId: 'OLD-3' } }),
      aDebit({ endToEndId: 'X4' }),
    ]), version);
    const txs = all(root, 'CstmrDrctDbtInitn/PmtInf/DrctDbtTxInf');
    const m = (i: number, p: string) => textAt(txs[i], `DrctDbtTx/MndtRltdInf/${p}`);
    expect(m(0, 'AmdmntInd')).toBe('true');
    expect(m(0, 'AmdmntInfDtls/OrgnlMndtId')).toBe('OLD-1');
    expect(m(1, 'AmdmntInfDtls/OrgnlDbtrAcct/Id/IBAN')).toBe('NL66RABO0123456781');
    expect(m(2, 'AmdmntInfDtls/OrgnlMndtId')).toBe('OLD-3');
    expect(m(2, 'AmdmntInfDtls/OrgnlDbtrAgt/FinInstnId/Othr/Id')).toBe('SMNDA');
    expect(m(3, 'AmdmntInd')).toBe('false');
  });
});

describe('bad input: problems naming the field, no XML', () => {
  it.each([
    [{ debtorIban: 'NL00RABO0123456789' }, 'debtorIban', 'invalid_iban'],
    [{ creditorIban: 'NL91ABNA0417164301' }, 'creditorIban', 'invalid_iban'],
    [{ mandateId: 'M_1' }, 'mandateId', 'identifier_charset'],
    [{ endToEndId: 'x'.repeat(36) }, 'endToEndId', 'identifier_too_long'],
    [{ amountCents: 0 }, 'amount', 'invalid_amount'],
    [{ amountCents: 100_000_000_000 }, 'amount', 'invalid_amount'],
    [{ amountCents: 1.5 }, 'amount', 'invalid_amount'],
    [{ debtorName: 'Иван' }, 'debtorName', 'sepa_charset'],
    [{ debtorBic: 'XYZ' }, 'debtorBic', 'invalid_bic'],
    [{ signatureDate: '2026-12-09' }, 'signatureDate', 'after_collection'],
    [{ remittance: { kind: 'reference', issuer: 'CUR', reference: 'A//B' } }, 'remittance.reference', 'identifier_slash'],
  ] as const)('%j', (over, field, code) => {
    const r = writePain008(aFile([aDebit(over as Partial<DirectDebit>)]));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems).toContainEqual(expect.objectContaining({ index: 0, field, code }));
  });

  it('file-level problems', () => {
    const r = writePain008(aFile([aDebit(), aDebit()], { creditorId: 'NL00ZZZ342838400000', messageId: '' }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => [p.index, p.field, p.code])).toEqual([
      [null, 'messageId', 'identifier_empty'],
      [null, 'creditorId', 'invalid_creditor_id'],
      [1, 'endToEndId', 'duplicate'],
    ]);
    expect(writePain008(aFile([])).ok).toBe(false);
  });
});

describe('the banks\' sample files', () => {
  const files = sampleFiles('payments/pain.008');
  it.each(files)('%s: our transaction elements come in the sample\'s order', (path) => {
    const p = parseXml(readSample(path));
    if (!p.ok) throw new Error(p.error.message);
    const sampleTx = all(p.doc.root, 'CstmrDrctDbtInitn/PmtInf/DrctDbtTxInf')[0]!;
    const ours = writePain008(aFile([aDebit()]), 'pain.008.001.02');
    if (!ours.ok) throw new Error('unexpected');
    const op = parseXml(ours.xml);
    if (!op.ok) throw new Error('unexpected');
    const ourTx = all(op.doc.root, 'CstmrDrctDbtInitn/PmtInf/DrctDbtTxInf')[0]!;
    const sampleOrder = sampleTx.children.map((c) => c.name);
    const common = ourTx.children.map((c) => c.name).filter((n) => sampleOrder.includes(n));
    expect(common).toEqual(sampleOrder.filter((n) => common.includes(n)));
    expect(common.length).toBeGreaterThanOrEqual(5);
  });
});
