import { describe, expect, it } from 'vitest';
import { PAIN001_VERSIONS, writePain001, type CreditTransfer, type CreditTransferFile } from '../../src/formats/pain001.ts';
import { all, parseXml, textAt } from '../../src/formats/xml.ts';
import { readSample, sampleFiles } from '../support/samples.ts';
import { validateXsd } from '../support/xsd.ts';

const aRefund = (over: Partial<CreditTransfer> = {}): CreditTransfer => ({
  endToEndId: 'REFUND-1',
  amountCents: 4250,
  executionDate: '2026-12-07',
  debtorIban: 'NL91ABNA0417164300',
  debtorBic: 'ABNANL2A',
  creditorName: 'Jansen & Zn',
  creditorIban: 'NL44RABO0123456789',
  remittance: { kind: 'text', text: 'Terugbetaling creditnota CN-12' },
  ...over,
});
const aFile = (transfers: CreditTransfer[]): CreditTransferFile => ({
  messageId: 'VORDER-R1', createdAt: '2026-12-03T09:15:00', debtorName: 'Vorder Demo B.V.', transfers,
});

describe.each(PAIN001_VERSIONS)('%s', (version) => {
  it('refunds: XSD-valid, one PmtInf per (account, date), sums from cents', () => {
    const r = writePain001(aFile([
      aRefund(),
      aRefund({ endToEndId: 'REFUND-2', amountCents: 5, creditorBic: 'RABONL2U', remittance: { kind: 'reference', issuer: 'ISO', reference: 'RF18539007547034' } }),
      aRefund({ endToEndId: 'REFUND-3', executionDate: '2026-12-08', creditorName: 'Ærø <Café>', creditorAddress: { town: 'Genève', country: 'CH' } }),
    ]), version);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const v = validateXsd(r.xml, version);
    expect(v.output, v.file).toBe('');
    const p = parseXml(r.xml);
    if (!p.ok) throw new Error(p.error.message);
    const root = p.doc.root;
    expect(textAt(root, 'CstmrCdtTrfInitn/GrpHdr/CtrlSum')).toBe('85.05');
    expect(all(root, 'CstmrCdtTrfInitn/PmtInf')).toHaveLength(2);
    const date = version === 'pain.001.001.09' ? textAt(root, 'CstmrCdtTrfInitn/PmtInf/ReqdExctnDt/Dt') : textAt(root, 'CstmrCdtTrfInitn/PmtInf/ReqdExctnDt');
    expect(date).toBe('2026-12-07');
    expect(all(root, 'CstmrCdtTrfInitn/PmtInf/CdtTrfTxInf/Cdtr/Nm').map((e) => e.text)).toEqual(['Jansen + Zn', 'Jansen + Zn', 'AEro (Cafe)']);
  });
});

describe('bad input', () => {
  it('names each field', () => {
    const r = writePain001(aFile([aRefund({ creditorIban: 'NL45RABO0123456789', amountCents: -1 }), aRefund()]));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => [p.index, p.field, p.code])).toEqual([
      [0, 'amount', 'invalid_amount'],
      [0, 'creditorIban', 'invalid_iban'],
      [1, 'endToEndId', 'duplicate'],
    ]);
  });
});

describe('the banks\' sample files', () => {
  it.each(sampleFiles('payments/pain.001'))('%s: our transaction elements come in the sample\'s order', (path) => {
    const p = parseXml(readSample(path));
    if (!p.ok) throw new Error(p.error.message);
    const sampleTx = all(p.doc.root, 'CstmrCdtTrfInitn/PmtInf/CdtTrfTxInf')[0]!;
    const ours = writePain001(aFile([aRefund({ creditorBic: 'RABONL2U' })]), 'pain.001.001.03');
    if (!ours.ok) throw new Error('unexpected');
    const op = parseXml(ours.xml);
    if (!op.ok) throw new Error('unexpected');
    const ourTx = all(op.doc.root, 'CstmrCdtTrfInitn/PmtInf/CdtTrfTxInf')[0]!;
    const sampleOrder = sampleTx.children.map((c) => c.name);
    const common = ourTx.children.map((c) => c.name).filter((n) => sampleOrder.includes(n));
    expect(common).toEqual(sampleOrder.filter((n) => common.includes(n)));
    expect(common.length).toBeGreaterThanOrEqual(4);
  });
});
