/**
 * CAMT.053 reader: every sample under ../shared/samples/bank/camt053 against a golden JSON
 * (test/formats/golden/camt053/<sample file name>.json; regenerate with UPDATE_GOLDEN=1), a
 * hand-checked table of entry counts and amounts per file, the balance check where the file's
 * balances agree with its entries, and focused unit tests on small inline documents.
 *
 * Sample quirks (kept as the banks/authors wrote them; the parser warns where it matters):
 * - lt-central-bank (camt.053.001.08): no BookgDt on any Ntry (statement date used, warning) and
 *   no CdtDbtInd on the balances (read as credit, warning); one line of XML.
 * - ing-nl, iso20022-mdr: a batch Ntry reported without TxDtls (one entry, warning); the ING file
 *   is an excerpt (TxsSummry says 35 entries, 3 present) so its balances do not reconcile.
 * - generic v4 / rabobank-format minimal + with-party-ids: closing balance in SEK, opening in EUR;
 *   the single TxDtls has its own Amt of SEK 0 (entry amount used, as for every non-batch entry).
 * - ch__viafintech: opening 100.00 + 4500.00 entry ≠ closing 4500.00; TxDtls/AmtDtls/TxAmt is 0.04.
 * - vr-bank-de: empty <BkTxCd/> on Ntry (the TxDtls Prtry code is used); PRCD as opening balance.
 * - rabobank all-balance-types: both OPBD and PRCD (OPBD wins); amount "8.850" (three decimals).
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCamt053 } from '../../src/formats/camt053.ts';
import type { BankEntry, BankStatement, FormatError, StatementFile } from '../../src/domain/bank-statement.ts';
import { sampleFiles, readSample, SAMPLES } from '../support/samples.ts';

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), 'golden', 'camt053');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const files = sampleFiles('bank/camt053', (f) => /\.xml$/i.test(f));

// Checked by hand against the XML: entries per statement, and the signed cents of every entry
// (null: only the total is listed, given as the second element).
const EXPECTED: Record<string, { counts: number[]; cents: number[] | null; total: number; balanced: boolean[] }> = {
  'abnamro-style__oca__test-camt053-no-ntry.xml': { counts: [0], cents: [], total: 0, balanced: [true] },
  'bcv-ch__oca__test-camt053-txdtls.xml': { counts: [2], cents: [218700, 129600], total: 348300, balanced: [true] },
  'ch__viafintech__valid_example_with_instdamt.xml': { counts: [1], cents: [450000], total: 450000, balanced: [false] },
  'deutsche-bank-be__subite__account_statement.xml': { counts: [3], cents: [-78990341, -99, 78990440], total: 0, balanced: [true] },
  'generic__genkgo__camt053.v4.xml': { counts: [1], cents: [885], total: 885, balanced: [false] },
  'generic__genkgo__camt53.only-Dt-with-DtTm.xml': { counts: [0], cents: [], total: 0, balanced: [false] },
  'ing-nl__viafintech__valid_example_with_batch.xml': { counts: [3], cents: [-475374, 268800, 500000], total: 293426, balanced: [false] },
  'iso20022-mdr-sample__jasper__camt.053.001.02.xml': { counts: [3], cents: [10567850, -20000000, 3000000], total: -6432150, balanced: [true] },
  'lt-central-bank__subite__2024-04-11.xml': {
    counts: [15, 0],
    cents: [-38864500, 4684000, -4684000, 89101725, -8866780, -308600, -55663395, -268033912, -5842, -47436736, -85862692, -9019085, -766159, -1456800, 264800],
    total: -426917976,
    balanced: [true, true],
  },
  'lt__kedder__simple.xml': { counts: [4], cents: [-29, -29, -2819, -15224], total: -18101, balanced: [true] },
  'postfinance-ch__viafintech__valid_example_v4.xml': { counts: [32], cents: null, total: 53761, balanced: [true] },
  'rabobank-format__genkgo__camt053.v2.all-balance-types.xml': { counts: [1], cents: [885], total: 885, balanced: [false] },
  'rabobank-format__genkgo__camt053.v2.minimal.xml': { counts: [1], cents: [885], total: 885, balanced: [false] },
  'rabobank-format__genkgo__camt053.v2.with-party-ids.xml': { counts: [1], cents: [885], total: 885, balanced: [false] },
  'redacted__kedder__camt053.xml': { counts: [1], cents: [128430], total: 128430, balanced: [true] },
  'vr-bank-de__viafintech__valid_example_with_debit.xml': { counts: [5], cents: [-200, -300, 100, -350, -250], total: -1000, balanced: [false] },
};

function parseOk(input: string | Uint8Array): { file: StatementFile; warnings: readonly FormatError[] } {
  const r = parseCamt053(input);
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.errors)}`);
  return { file: r.value, warnings: r.warnings };
}

function balances(s: BankStatement): boolean {
  if (!s.openingBalance || !s.closingBalance) return false;
  return s.openingBalance.cents + s.entries.reduce((a, e) => a + e.cents, 0) === s.closingBalance.cents;
}

describe('CAMT.053 samples (golden files)', () => {
  it('finds the sample files, and the table covers each of them', () => {
    expect(files.length).toBeGreaterThanOrEqual(16);
    expect(files.map((f) => basename(f)).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const path of files) {
    const name = basename(path);
    it(`${name} matches its golden output`, () => {
      const result = parseCamt053(readSample(path));
      expect(result.ok).toBe(true);
      const json = JSON.stringify(result, null, 2) + '\n';
      const golden = join(GOLDEN, `${name}.json`);
      if (UPDATE) {
        mkdirSync(GOLDEN, { recursive: true });
        writeFileSync(golden, json);
      }
      expect(existsSync(golden), `golden file missing: ${golden} (run with UPDATE_GOLDEN=1)`).toBe(true);
      expect(JSON.parse(json)).toEqual(JSON.parse(readFileSync(golden, 'utf8')));
    });

    it(`${name}: entry counts, amounts and balance check as checked by hand`, () => {
      const exp = EXPECTED[name]!;
      const { file } = parseOk(readSample(path));
      expect(file.format).toBe('camt053');
      expect(file.statements.map((s) => s.entries.length)).toEqual(exp.counts);
      const all = file.statements.flatMap((s) => s.entries);
      if (exp.cents) expect(all.map((e) => e.cents)).toEqual(exp.cents);
      expect(all.reduce((a, e) => a + e.cents, 0)).toBe(exp.total);
      expect(file.statements.map(balances)).toEqual(exp.balanced);
      for (const e of all) {
        expect(Number.isSafeInteger(e.cents)).toBe(true);
        expect(e.bookingDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(e.txIndex).toBeLessThan(e.txCount);
      }
    });
  }

  it('opening balance + entries = closing balance for the files whose balances reconcile', () => {
    const holding = Object.entries(EXPECTED).filter(([, e]) => e.balanced.every(Boolean)).map(([n]) => n);
    expect(holding).toEqual([
      'abnamro-style__oca__test-camt053-no-ntry.xml',
      'bcv-ch__oca__test-camt053-txdtls.xml',
      'deutsche-bank-be__subite__account_statement.xml',
      'iso20022-mdr-sample__jasper__camt.053.001.02.xml',
      'lt-central-bank__subite__2024-04-11.xml',
      'lt__kedder__simple.xml',
      'postfinance-ch__viafintech__valid_example_v4.xml',
      'redacted__kedder__camt053.xml',
    ]);
    for (const name of holding) {
      const { file, warnings } = parseOk(readSample(files.find((f) => basename(f) === name)!));
      for (const s of file.statements) {
        const sum = s.entries.reduce((a, e) => a + e.cents, 0);
        expect(s.openingBalance!.cents + sum, `${name} ${s.statementId}`).toBe(s.closingBalance!.cents);
      }
      expect(warnings.some((w) => w.code === 'balance_mismatch')).toBe(false);
    }
  });

  it('spot checks against the raw files', () => {
    const get = (n: string) => parseOk(readSample(files.find((f) => basename(f) === n)!)).file;

    // Batch of two TxDtls with their own amounts and CHF ISR references; BICFI; entry-level AcctSvcrRef.
    const bcv = get('bcv-ch__oca__test-camt053-txdtls.xml').statements[0]!;
    expect(bcv.openingBalance).toEqual({ date: '2017-03-22', cents: 7596015, currency: 'CHF' });
    expect(bcv.closingBalance).toEqual({ date: '2017-03-23', cents: 7944315, currency: 'CHF' });
    expect(bcv.entries.map((e) => [e.txIndex, e.txCount, e.entryRef, e.counterpartyIban, e.counterpartyBic, e.structuredRef])).toEqual([
      [0, 2, '20170323001234567891234567891234', 'CH2222000000123456789', 'POFICHBEXXX', { issuer: null, value: '302388292000011111111111111' }],
      [1, 2, '20170323001234567891234567891234', 'CH3333000000123456789', 'POFICHBEYYY', { issuer: null, value: '302388292000022222222222222' }],
    ]);
    expect(bcv.entries[0]!.bankCode).toBe('PMNT/RCDT/AUTT');
    expect(bcv.entries[0]!.valueDate).toBe('2017-03-23');

    // Debits take the creditor; EndToEndId, Ustrd, the BkTxCd family.
    const db = get('deutsche-bank-be__subite__account_statement.xml').statements[0]!;
    expect(db.entries[0]).toMatchObject({
      cents: -78990341,
      counterpartyName: 'Sigma Solutions',
      counterpartyIban: 'FR9124517777178627245130470',
      counterpartyBic: 'GEBAFRZ1XAW',
      endToEndId: 'E2EXRUHYXKX58020423',
      remittance: 'NOTPROVIDED',
      bankCode: 'PMNT/ICDT/ESCT',
      entryRef: null,
      valueDate: null,
    });
    expect(db.entries[2]).toMatchObject({ cents: 78990440, counterpartyName: 'Theta Solutions', counterpartyIban: 'BE40933730571463' });

    // DtTm-only booking dates, account by Othr/Id, a batch without TxDtls.
    const mdr = get('iso20022-mdr-sample__jasper__camt.053.001.02.xml').statements[0]!;
    expect(mdr.accountIban).toBeNull();
    expect(mdr.accountId).toBe('50000000054910000003');
    expect(mdr.currency).toBe('SEK');
    expect(mdr.entries.map((e) => e.bookingDate)).toEqual(['2010-10-18', '2010-10-18', '2010-10-18']);
    expect(mdr.entries[0]).toMatchObject({ counterpartyName: 'MUELLER', endToEndId: 'MUELL/FINP/RA12345', entryRef: 'AAAASESS-FP-CN_98765/01', bankCode: 'PAYM/0001/0005' });

    // NOTPROVIDED end-to-end ids, TxDtls/Refs/AcctSvcrRef when the Ntry has none, Prtry not used when Domn exists.
    const lt = get('lt__kedder__simple.xml').statements[0]!;
    expect(lt.entries[0]).toMatchObject({ endToEndId: null, entryRef: 'FC1261858984', bookingDate: '2015-12-31', valueDate: '2016-01-01', counterpartyName: 'AB DNB Bankas', bankCode: 'ACMT/OTHR/OTHR' });

    // camt.053.001.08: Dbtr/Pty/Nm.
    const v8 = get('redacted__kedder__camt053.xml').statements[0]!;
    expect(v8.entries[0]).toMatchObject({ counterpartyName: 'PAYEE', endToEndId: '9502830971', remittance: 'PAYMENT INFO', entryRef: '8082230156M02SJ62/1010' });
    expect(v8.accountId).toBe('0035-2915203-10-000');

    // Mandate id, AddtlTxInf + AddtlNtryInf, Prtry bank code from TxDtls; batch with AmtDtls/TxAmt.
    const vr = get('vr-bank-de__viafintech__valid_example_with_debit.xml').statements[0]!;
    expect(vr.openingBalance).toEqual({ date: '2013-12-27', cents: -3306, currency: 'EUR' });
    expect(vr.entries[0]).toMatchObject({
      mandateId: 'MandateReference',
      endToEndId: 'EndToEndReference',
      bankCode: 'NTRF+020',
      counterpartyName: 'Testkonto Nummer 2',
      counterpartyIban: 'DE09300606010012345671',
      info: 'AdditionalTransactionInformation | Überweisungs-Gutschrift; GVC: SEPA Credit Transfer (Einzelbuchung-Haben)',
    });
    expect(vr.entries[2]).toMatchObject({ cents: 100, counterpartyName: 'Testkonto Nummer 2', counterpartyIban: null, remittance: 'R CKBUCHUNG' });
    expect(vr.entries.slice(3).map((e) => [e.txIndex, e.txCount, e.cents, e.endToEndId])).toEqual([
      [0, 2, -350, 'STZV-EtE27122013-11:02-1'],
      [1, 2, -250, 'STZV-EtE27122013-11:02-2'],
    ]);

    // Several statements in one file; missing BookgDt falls back to the statement date.
    const ltcb = get('lt-central-bank__subite__2024-04-11.xml');
    expect(ltcb.statements.map((s) => s.statementId)).toEqual(['MSG25684197-NAEUXI', 'MSG32269800-GZNPDA']);
    expect(ltcb.statements[0]!.entries.every((e) => e.bookingDate === '2024-04-11' && e.valueDate === null)).toBe(true);
    expect(ltcb.statements[0]!.entries[0]!.bankCode).toBe('ATSISK');

    // OPBD preferred over PRCD; '8.850' is 885 cents.
    const all = get('rabobank-format__genkgo__camt053.v2.all-balance-types.xml').statements[0]!;
    expect(all.openingBalance).toEqual({ date: '2015-01-21', cents: 101, currency: 'EUR' });
    expect(all.closingBalance).toEqual({ date: '2015-01-22', cents: 404, currency: 'EUR' });
    // A credit that names only the creditor (the account holder's side): no counterparty, not our own name.
    expect(all.entries[0]).toMatchObject({ cents: 885, counterpartyName: null, counterpartyIban: null, remittance: 'Transaction Description', bankCode: '544', endToEndId: '000000001' });

    // Credit with both parties given: the debtor; BBA structured reference has no known issuer.
    const min = get('rabobank-format__genkgo__camt053.v2.minimal.xml').statements[0]!;
    expect(min.entries[0]).toMatchObject({ counterpartyName: 'NAME NAME', counterpartyIban: 'NL56AGDH9619008421', structuredRef: { issuer: null, value: '4654654654654654' }, entryRef: null });

    // PRCD used when there is no OPBD ... ING has both: OPBD.
    const ing = get('ing-nl__viafintech__valid_example_with_batch.xml').statements[0]!;
    expect(ing.openingBalance).toEqual({ date: '2019-01-01', cents: 732980, currency: 'EUR' });
    expect(ing.entries[1]).toMatchObject({ cents: 268800, counterpartyName: 'TEST', counterpartyIban: 'NL86INGB00066666666', counterpartyBic: 'INGBNL2A', remittance: 'TERUGGAAF', bankCode: 'PMNT/RCDT/ESCT' });
  });
});

// ------------------------------------------------------------------------------------ unit tests

const IBAN = 'NL91ABNA0417164300';

function doc(stmts: string, ns = 'camt.053.001.02'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:${ns}">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>M1</MsgId><CreDtTm>2024-03-02T08:00:00</CreDtTm></GrpHdr>
${stmts}
  </BkToCstmrStmt>
</Document>`;
}

function stmt(entries: string, opts: { id?: string; bal?: string; acct?: string } = {}): string {
  const bal =
    opts.bal ??
    `<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">1000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2024-03-01</Dt></Dt></Bal>
    <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">1000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2024-03-01</Dt></Dt></Bal>`;
  return `    <Stmt>
    <Id>${opts.id ?? 'STMT-1'}</Id>
    ${opts.acct ?? `<Acct><Id><IBAN>${IBAN}</IBAN></Id><Ccy>EUR</Ccy></Acct>`}
    ${bal}
${entries}
    </Stmt>`;
}

function ntry(inner: string, opts: { amt?: string; ind?: string; date?: string; extra?: string } = {}): string {
  return `    <Ntry>
      <Amt Ccy="EUR">${opts.amt ?? '10.00'}</Amt>
      <CdtDbtInd>${opts.ind ?? 'CRDT'}</CdtDbtInd>
      ${opts.extra ?? ''}
      <Sts>BOOK</Sts>
      ${opts.date ?? '<BookgDt><Dt>2024-03-01</Dt></BookgDt><ValDt><Dt>2024-03-02</Dt></ValDt>'}
${inner}
    </Ntry>`;
}

const one = (xml: string): readonly BankEntry[] => parseOk(xml).file.statements[0]!.entries;

describe('parseCamt053 (unit)', () => {
  it('splits a batch with several TxDtls into entries with their own amounts and parties', () => {
    const xml = doc(
      stmt(
        ntry(
          `<AcctSvcrRef>BATCH-1</AcctSvcrRef>
      <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>IDDT</Cd><SubFmlyCd>ESDD</SubFmlyCd></Fmly></Domn></BkTxCd>
      <NtryDtls><Btch><NbOfTxs>3</NbOfTxs></Btch>
        <TxDtls><Refs><EndToEndId>E1</EndToEndId><MndtId>MAND-1</MndtId></Refs><Amt Ccy="EUR">100.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>
          <RltdPties><Dbtr><Nm>Jansen BV</Nm></Dbtr><DbtrAcct><Id><IBAN>NL02ABNA0123456789</IBAN></Id></DbtrAcct></RltdPties>
          <RmtInf><Ustrd>Factuur 1001</Ustrd></RmtInf></TxDtls>
        <TxDtls><Refs><EndToEndId>E2</EndToEndId></Refs><AmtDtls><TxAmt><Amt Ccy="EUR">20.5</Amt></TxAmt></AmtDtls>
          <RltdPties><Dbtr><Nm>De Vries</Nm></Dbtr></RltdPties><RmtInf><Ustrd>Factuur</Ustrd><Ustrd>1002</Ustrd></RmtInf></TxDtls>
        <TxDtls><Refs><EndToEndId>E3</EndToEndId></Refs><Amt Ccy="EUR">3.00</Amt></TxDtls>
      </NtryDtls>`,
          { amt: '123.50' },
        ),
      ),
    );
    const { file, warnings } = parseOk(xml);
    const es = file.statements[0]!.entries;
    expect(es.map((e) => [e.txIndex, e.txCount, e.cents, e.entryRef, e.endToEndId, e.counterpartyName, e.remittance])).toEqual([
      [0, 3, 10000, 'BATCH-1', 'E1', 'Jansen BV', 'Factuur 1001'],
      [1, 3, 2050, 'BATCH-1', 'E2', 'De Vries', 'Factuur 1002'],
      [2, 3, 300, 'BATCH-1', 'E3', null, ''],
    ]);
    expect(es[0]!.mandateId).toBe('MAND-1');
    expect(es[0]!.counterpartyIban).toBe('NL02ABNA0123456789');
    expect(es.every((e) => e.bankCode === 'PMNT/IDDT/ESDD' && e.bookingDate === '2024-03-01' && e.valueDate === '2024-03-02')).toBe(true);
    expect(warnings.filter((w) => w.code === 'camt_batch_total')).toEqual([]);
  });

  it('warns when batch amounts do not add up to the entry, and uses the entry amount for a TxDtls without one', () => {
    const xml = doc(
      stmt(
        ntry(
          `<NtryDtls>
        <TxDtls><Refs><AcctSvcrRef>TX-A</AcctSvcrRef></Refs><Amt Ccy="EUR">1.00</Amt></TxDtls>
        <TxDtls><Refs><AcctSvcrRef>TX-B</AcctSvcrRef></Refs></TxDtls>
      </NtryDtls>`,
          { amt: '5.00' },
        ),
      ),
    );
    const { file, warnings } = parseOk(xml);
    const es = file.statements[0]!.entries;
    expect(es.map((e) => [e.cents, e.entryRef])).toEqual([
      [100, 'TX-A'],
      [500, 'TX-B'],
    ]);
    expect(warnings.map((w) => w.code)).toContain('camt_missing');
  });

  it('reads a single TxDtls with the entry amount even when the TxDtls amount differs (charges, counter values)', () => {
    const es = one(doc(stmt(ntry(`<NtryDtls><TxDtls><AmtDtls><TxAmt><Amt Ccy="EUR">0.04</Amt></TxAmt></AmtDtls></TxDtls></NtryDtls>`, { amt: '4500.00' }))));
    expect(es).toHaveLength(1);
    expect(es[0]!.cents).toBe(450000);
    expect([es[0]!.txIndex, es[0]!.txCount]).toEqual([0, 1]);
  });

  it('an Ntry without TxDtls is one entry', () => {
    const es = one(doc(stmt(ntry('<AcctSvcrRef>REF-9</AcctSvcrRef><AddtlNtryInf>Kosten</AddtlNtryInf>', { ind: 'DBIT', amt: '2.50' }))));
    expect(es).toEqual([
      {
        entryRef: 'REF-9',
        txIndex: 0,
        txCount: 1,
        bookingDate: '2024-03-01',
        valueDate: '2024-03-02',
        cents: -250,
        currency: 'EUR',
        reversal: false,
        counterpartyName: null,
        counterpartyIban: null,
        counterpartyBic: null,
        structuredRef: null,
        endToEndId: null,
        mandateId: null,
        remittance: '',
        bankCode: null,
        returnReason: null,
        info: 'Kosten',
      },
    ]);
  });

  it('reads a reversal: negative (DBIT), reversal true, the original payer as counterparty', () => {
    const es = one(
      doc(
        stmt(
          ntry(
            `<NtryDtls><TxDtls>
          <RltdPties><Dbtr><Nm>Klant BV</Nm></Dbtr><DbtrAcct><Id><IBAN>NL02ABNA0123456789</IBAN></Id></DbtrAcct>
            <Cdtr><Nm>Wij BV</Nm></Cdtr><CdtrAcct><Id><IBAN>${IBAN}</IBAN></Id></CdtrAcct></RltdPties>
        </TxDtls></NtryDtls>`,
            { ind: 'DBIT', amt: '60.00', extra: '<RvslInd>true</RvslInd>' },
          ),
        ),
      ),
    );
    expect(es[0]).toMatchObject({ cents: -6000, reversal: true, counterpartyName: 'Klant BV', counterpartyIban: 'NL02ABNA0123456789' });
  });

  it('reads a returned direct debit with its reason code; the debtor (not our own account) is the counterparty', () => {
    const es = one(
      doc(
        stmt(
          ntry(
            `<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>IDDT</Cd><SubFmlyCd>UPDD</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls><TxDtls>
          <Refs><EndToEndId>INV-2024-001</EndToEndId><MndtId>M-77</MndtId></Refs>
          <RltdPties><Dbtr><Nm>Debiteur</Nm></Dbtr><DbtrAcct><Id><IBAN>NL02ABNA0123456789</IBAN></Id></DbtrAcct>
            <Cdtr><Nm>Wij BV</Nm></Cdtr><CdtrAcct><Id><IBAN>${IBAN}</IBAN></Id></CdtrAcct></RltdPties>
          <RltdAgts><DbtrAgt><FinInstnId><BIC>ABNANL2A</BIC></FinInstnId></DbtrAgt></RltdAgts>
          <RtrInf><Rsn><Cd>MD06</Cd></Rsn></RtrInf>
        </TxDtls></NtryDtls>`,
            { ind: 'DBIT', amt: '121.00' },
          ),
        ),
      ),
    );
    expect(es[0]).toMatchObject({
      cents: -12100,
      returnReason: 'MD06',
      bankCode: 'PMNT/IDDT/UPDD',
      counterpartyName: 'Debiteur',
      counterpartyIban: 'NL02ABNA0123456789',
      counterpartyBic: 'ABNANL2A',
      endToEndId: 'INV-2024-001',
      mandateId: 'M-77',
    });
  });

  it('reads structured CUR and ISO references (and null issuer for others)', () => {
    const ref = (issr: string, value: string) =>
      ntry(`<NtryDtls><TxDtls><RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry>${issr ? `<Issr>${issr}</Issr>` : ''}</Tp><Ref>${value}</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls>`);
    const es = one(doc(stmt([ref('CUR', '1234567890123456'), ref('ISO', 'RF18539007547034'), ref('', 'ABC-1'), ref('BBA', '0000123')].join('\n'))));
    expect(es.map((e) => e.structuredRef)).toEqual([
      { issuer: 'CUR', value: '1234567890123456' },
      { issuer: 'ISO', value: 'RF18539007547034' },
      { issuer: null, value: 'ABC-1' },
      { issuer: null, value: '0000123' },
    ]);
  });

  it('takes the date part of DtTm-only booking, value and balance dates, as written', () => {
    const xml = doc(
      stmt(ntry('', { date: '<BookgDt><DtTm>2024-03-01T23:30:00+01:00</DtTm></BookgDt><ValDt><DtTm>2024-03-04T00:00:00.000Z</DtTm></ValDt>' }), {
        bal: `<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">5.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Dt><DtTm>2024-02-29T00:00:00.000000000</DtTm></Dt></Bal>
         <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">5.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><DtTm>2024-03-01T23:59:59</DtTm></Dt></Bal>`,
      }),
    );
    const { file, warnings } = parseOk(xml);
    const s = file.statements[0]!;
    expect([s.entries[0]!.bookingDate, s.entries[0]!.valueDate]).toEqual(['2024-03-01', '2024-03-04']);
    expect(s.openingBalance).toEqual({ date: '2024-02-29', cents: -500, currency: 'EUR' });
    expect(s.closingBalance).toEqual({ date: '2024-03-01', cents: 500, currency: 'EUR' });
    expect(warnings).toEqual([]);
  });

  it('is tolerant of missing optional parts: no ValDt, no balances, no account currency, no Stmt/Id', () => {
    const xml = doc(`<Stmt><Acct><Id><Othr><Id>12345</Id></Othr></Id></Acct>
      <Ntry><Amt Ccy="USD">1</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2024-01-31</Dt></BookgDt></Ntry></Stmt>`);
    const { file, warnings } = parseOk(xml);
    const s = file.statements[0]!;
    expect(s).toMatchObject({ statementId: null, accountIban: null, accountId: '12345', currency: 'USD', openingBalance: null, closingBalance: null });
    expect(s.entries[0]).toMatchObject({ cents: 100, currency: 'USD', valueDate: null, entryRef: null, remittance: '', info: null });
    expect(warnings.map((w) => w.code).sort()).toEqual(['camt_missing', 'camt_no_closing_balance', 'camt_no_opening_balance']);
  });

  it('falls back to the value date when BookgDt is missing, with a warning naming the element and line', () => {
    const xml = doc(stmt(ntry('', { date: '<ValDt><Dt>2024-03-05</Dt></ValDt>' })));
    const { file, warnings } = parseOk(xml);
    expect(file.statements[0]!.entries[0]!.bookingDate).toBe('2024-03-05');
    const w = warnings.find((x) => x.code === 'camt_missing')!;
    expect(w.message).toContain('Stmt[1]/Ntry[1]/BookgDt');
    expect(w.line).toBe(xml.split('\n').findIndex((l) => l.includes('<Ntry>')) + 1);
  });

  it('reads balance signs and warns (credit) when the balance has no CdtDbtInd', () => {
    const xml = doc(
      stmt('', {
        bal: `<Bal><Tp><CdOrPrtry><Cd>PRCD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">33.06</Amt><CdtDbtInd>DBIT</CdtDbtInd><Dt><Dt>2024-03-01</Dt></Dt></Bal>
         <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">33.06</Amt><Dt><Dt>2024-03-01</Dt></Dt></Bal>`,
      }),
    );
    const { file, warnings } = parseOk(xml);
    expect(file.statements[0]!.openingBalance!.cents).toBe(-3306);
    expect(file.statements[0]!.closingBalance!.cents).toBe(3306);
    expect(warnings.map((w) => w.code)).toEqual(['camt_balance_sign', 'balance_mismatch']);
  });

  it('parses amounts exactly from the decimal string', () => {
    const cases: [string, number][] = [
      ['1234.5', 123450],
      ['0.1', 10],
      ['1000', 100000],
      ['0.07', 7],
      ['8.850', 885],
      ['5442.09000', 544209],
      ['90071992547409.91', 9007199254740991],
      ['19.99', 1999],
    ];
    const es = one(doc(stmt(cases.map(([a]) => ntry('', { amt: a })).join('\n'))));
    expect(es.map((e) => e.cents)).toEqual(cases.map(([, c]) => c));
  });

  it('refuses an entry whose amount is missing or not a decimal, naming path and line', () => {
    const xml = doc(stmt([ntry('', { amt: '12,50' }), '<Ntry><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2024-03-01</Dt></BookgDt></Ntry>'].join('\n')));
    const r = parseCamt053(xml);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.code)).toEqual(['camt_bad_amount', 'camt_missing']);
    expect(r.errors[0]!.message).toContain('BkToCstmrStmt/Stmt[1]/Ntry[1]/Amt');
    expect(r.errors[1]!.field).toBe('Document/BkToCstmrStmt/Stmt[1]/Ntry[2]/Amt');
    const lines = xml.split('\n');
    expect(r.errors[0]!.line).toBe(lines.findIndex((l) => l.includes('<Ntry>')) + 1);
    expect(r.errors[1]!.line).toBe(lines.findIndex((l) => l.startsWith('<Ntry><CdtDbtInd>')) + 1);
    expect(r.errors[1]!.message).toMatch(/line \d+, column 1/);
  });

  it('refuses an entry without CdtDbtInd or with an unknown one', () => {
    const r = parseCamt053(doc(stmt(ntry('', { ind: 'CREDIT' }))));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatchObject({ code: 'camt_missing', field: 'Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/CdtDbtInd' });
  });

  it('reports malformed XML with line and column', () => {
    const r = parseCamt053('<?xml version="1.0"?>\n<Document>\n  <BkToCstmrStmt>\n    <Stmt><Id>x</Id></Stmnt>\n  </BkToCstmrStmt>\n</Document>');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]!.code).toBe('xml_malformed');
    expect(r.errors[0]!.line).toBe(4);
    expect(r.errors[0]!.column).toBeGreaterThan(0);
    expect(r.errors[0]!.message).toMatch(/line 4, column \d+/);
  });

  it('refuses a DOCTYPE with an entity (no entity expansion, no external entities)', () => {
    const evil = `<?xml version="1.0"?>\n<!DOCTYPE Document [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY a "aaaaaaaaaa">]>\n${doc(stmt(ntry('<AddtlNtryInf>&xxe;&a;</AddtlNtryInf>'))).replace(/^<\?xml[^>]*>\n/, '')}`;
    const r = parseCamt053(evil);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]).toMatchObject({ code: 'xml_doctype', line: 2, column: 1 });
  });

  it('gives a clear error for XML that is not a CAMT.053 statement', () => {
    const pain = parseCamt053('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"><CstmrCdtTrfInitn><GrpHdr/></CstmrCdtTrfInitn></Document>');
    expect(pain.ok).toBe(false);
    if (!pain.ok) {
      expect(pain.errors[0]!.code).toBe('camt_not_camt053');
      expect(pain.errors[0]!.message).toContain('pain.001.001.03');
      expect(pain.errors[0]!.message).toContain('BkToCstmrStmt');
    }
    const c52 = parseCamt053('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.052.001.02"><BkToCstmrAcctRpt/></Document>');
    expect(!c52.ok && c52.errors[0]!.message).toContain('camt.052');
    const inv = parseCamt053('<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><ID>1</ID></Invoice>');
    expect(!inv.ok && inv.errors[0]!.message).toContain('<Invoice>');
    const empty = parseCamt053('');
    expect(!empty.ok && empty.errors[0]!.code).toBe('xml_empty');
    const noStmt = parseCamt053(doc(''));
    expect(!noStmt.ok && noStmt.errors[0]!.code).toBe('camt_no_statement');
    const notXml = parseCamt053(':20:STARTUMS\n:25:NL91ABNA0417164300');
    expect(notXml.ok).toBe(false);
  });

  it('reads several Stmt elements as several statements, namespace prefixes and v8 layouts alike', () => {
    const xml = `<?xml version="1.0"?>
<c:Document xmlns:c="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><c:BkToCstmrStmt><c:GrpHdr><c:MsgId>M</c:MsgId></c:GrpHdr>
<c:Stmt><c:Id>A</c:Id><c:Acct><c:Id><c:IBAN>NL91 ABNA 0417 1643 00</c:IBAN></c:Id></c:Acct>
  <c:Ntry><c:Amt Ccy="EUR">7.00</c:Amt><c:CdtDbtInd>CRDT</c:CdtDbtInd><c:BookgDt><c:Dt>2024-05-01</c:Dt></c:BookgDt>
    <c:NtryDtls><c:TxDtls><c:RltdPties><c:Dbtr><c:Pty><c:Nm>Piet</c:Nm></c:Pty></c:Dbtr></c:RltdPties>
    <c:RltdAgts><c:DbtrAgt><c:FinInstnId><c:BICFI>RABONL2U</c:BICFI></c:FinInstnId></c:DbtrAgt></c:RltdAgts></c:TxDtls></c:NtryDtls></c:Ntry></c:Stmt>
<c:Stmt><c:Id>B</c:Id><c:Acct><c:Id><c:IBAN>NL02ABNA0123456789</c:IBAN></c:Id><c:Ccy>EUR</c:Ccy></c:Acct>
  <c:Ntry><c:Amt Ccy="EUR">1.00</c:Amt><c:CdtDbtInd>DBIT</c:CdtDbtInd><c:BookgDt><c:Dt>2024-05-02</c:Dt></c:BookgDt>
    <c:BkTxCd><c:Prtry><c:Cd>N541</c:Cd></c:Prtry></c:BkTxCd></c:Ntry></c:Stmt>
</c:BkToCstmrStmt></c:Document>`;
    const { file } = parseOk(new TextEncoder().encode(xml));
    expect(file.statements.map((s) => [s.statementId, s.accountIban, s.entries.length])).toEqual([
      ['A', 'NL91ABNA0417164300', 1],
      ['B', 'NL02ABNA0123456789', 1],
    ]);
    expect(file.statements[0]!.entries[0]).toMatchObject({ cents: 700, counterpartyName: 'Piet', counterpartyBic: 'RABONL2U' });
    expect(file.statements[1]!.entries[0]).toMatchObject({ cents: -100, bankCode: 'N541' });
  });

  it('warns about an unexpected namespace but still reads by element names', () => {
    const { file, warnings } = parseOk(doc(stmt(ntry('')), 'camt.099.001.01'));
    expect(file.statements[0]!.entries).toHaveLength(1);
    expect(warnings.map((w) => w.code)).toContain('camt_namespace');
  });

  it('keeps a reversal flag false for RvslInd false and reads NOTPROVIDED as no end-to-end id', () => {
    const es = one(doc(stmt(ntry('<NtryDtls><TxDtls><Refs><EndToEndId>notprovided</EndToEndId></Refs></TxDtls></NtryDtls>', { extra: '<RvslInd>false</RvslInd>' }))));
    expect(es[0]).toMatchObject({ reversal: false, endToEndId: null });
  });
});

describe('SEPA return loop fields (issue 17)', () => {
  it('reads PmtInfId, the return reason with its words, and the charges of the PostFinance direct-debit refund (MD06)', () => {
    const { file } = parseOk(readSample(join(SAMPLES, 'bank/camt053/postfinance-ch__viafintech__valid_example_v4.xml')));
    const entries = file.statements.flatMap((s) => s.entries);
    const refund = entries.find((e) => e.endToEndId === 'EndToEnd-2B6C-CHDDBB5' && e.returnReason === 'MD06')!;
    expect(refund).toMatchObject({ cents: -600, reversal: true, paymentInfoId: 'PMTINF-2CHDDBB5', returnInfo: 'Lastschrift-Widerspruch durch den Zahlungspflichtigen', chargesCents: 70, bankCode: 'PMNT/RDDT/PMDD' });
    const batchCredit = entries.find((e) => e.paymentInfoId === 'PMT-ID-1268016165-01')!;
    expect(batchCredit.cents).toBeGreaterThan(0);
    expect(batchCredit.returnReason).toBeNull();
  });

  it('reads the batch PmtInfId of an entry booked as one line (ING sample, NtryDtls/Btch)', () => {
    const { file } = parseOk(readSample(join(SAMPLES, 'bank/camt053/ing-nl__viafintech__valid_example_with_batch.xml')));
    expect(file.statements[0]!.entries.filter((e) => e.paymentInfoId === 'O0OpeAYTkhjerKu3eE9asw')).toHaveLength(1);
  });

  it('sets none of them when the bank wrote none', () => {
    const { file } = parseOk(readSample(join(SAMPLES, 'bank/camt053/rabobank-format__genkgo__camt053.v2.minimal.xml')));
    const e = file.statements[0]!.entries[0]!;
    expect('paymentInfoId' in e || 'returnInfo' in e || 'chargesCents' in e).toBe(false);
  });
});
