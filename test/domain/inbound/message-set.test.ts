import { describe, expect, it } from 'vitest';
import { parseMime } from '../../../src/formats/mime.ts';
import { analyse } from '../../../src/domain/inbound/analyse.ts';
import { decideDebtor, type Found } from '../../../src/domain/inbound/resolve.ts';
import { todayIn } from '../../../src/domain/dates.ts';
import { DIRECTORY, EXPECTED, fixture, fixtureNames } from '../../support/inbound-set.ts';

const ids = new Map(DIRECTORY.map((d, i) => [d.number, i + 1]));
const numberOf = (id: number) => DIRECTORY[id - 1]!.number;

/** The lookups of app/inbound.ts, on the in-memory directory. */
function lookup(keys: ReturnType<typeof analyse>['keys']): Found {
  const up = (xs: string[]) => xs.map((x) => x.toUpperCase());
  return {
    plusAddress: DIRECTORY.filter((d) => keys.plusTokens.includes(d.number)).map((d) => ids.get(d.number)!),
    thread: DIRECTORY.filter((d) => d.sent.some((s) => keys.messageIds.includes(s))).map((d) => ids.get(d.number)!),
    sender: keys.sender ? DIRECTORY.filter((d) => d.emails.includes(keys.sender!)).map((d) => ids.get(d.number)!) : [],
    reference: DIRECTORY.filter((d) => up([...d.invoices, ...(d.references ?? []), d.number]).some((n) => keys.numbers.includes(n))).map((d) => ids.get(d.number)!),
  };
}

async function run(name: string) {
  const m = await parseMime(fixture(name));
  const today = m.date ? todayIn('Europe/Amsterdam', new Date(m.date)) : '2026-12-03';
  const a = analyse(m, today);
  return { m, a, resolved: decideDebtor(lookup(a.keys)) };
}

describe('the inbound message set', () => {
  it('has an expectation for every fixture and a fixture for every expectation', () => {
    expect(fixtureNames()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [name, exp] of Object.entries(EXPECTED)) {
    it(`${name}: ${exp.kind}${exp.debtor ? ` for ${exp.debtor}` : ''}${Object.keys(exp.suggestions).length ? `, suggests ${Object.keys(exp.suggestions).join(', ')}` : ''}`, async () => {
      const { m, a, resolved } = await run(name);
      expect(a.classification.kind).toBe(exp.kind);
      if (a.classification.kind === 'bounce') {
        expect(a.classification.dsn.permanent).toBe(exp.permanent);
        expect(a.classification.dsn.originalMessageId).toBe(exp.originalMessageId);
      }
      if (exp.kind !== 'bounce') {
        expect(resolved ? numberOf(resolved.debtorId) : null).toBe(exp.debtor);
        if (exp.by) expect(resolved?.by).toBe(exp.by);
      }
      expect(a.suggestions.map((s) => s.kind).sort()).toEqual(Object.keys(exp.suggestions).sort());
      for (const [kind, fields] of Object.entries(exp.suggestions)) {
        const s = a.suggestions.find((x) => x.kind === kind) as Record<string, unknown>;
        for (const [k, v] of Object.entries(fields)) expect(s[k], `${kind}.${k}`).toEqual(v);
      }
      if (exp.fresh) expect(a.fresh).toContain(exp.fresh);
      if (exp.notFresh) {
        expect(a.fresh).not.toContain(exp.notFresh);
        expect(a.quoted).toContain(exp.notFresh); // stripped, never lost
      }
      if (exp.problems) expect(m.problems.join('; ')).toMatch(exp.problems);
      else expect(m.problems).toEqual([]);
      if (exp.attachments !== undefined) expect(m.attachments.length).toBe(exp.attachments);
    });
  }

  it('reads the bounce details: recipient, status and the server words', async () => {
    const { a } = await run('postfix-dsn.eml');
    if (a.classification.kind !== 'bounce') throw new Error('not a bounce');
    expect(a.classification.dsn.originalAction).toBe(31);
    expect(a.classification.dsn.recipients[0]).toMatchObject({ recipient: 'info@bakkerijvandam.nl', action: 'failed', status: '5.1.1' });
    expect(a.classification.dsn.reason).toContain('User unknown');
    const ex = await run('exchange-dsn.eml');
    if (ex.a.classification.kind !== 'bounce') throw new Error('not a bounce');
    expect(ex.a.classification.dsn.recipients[0]).toMatchObject({ recipient: 'boekhouding@devriesbv.nl', status: '5.1.10' });
    expect(ex.a.classification.dsn.originalAction).toBe(33);
  });

  it('measures the recognition rates per kind on the set', async () => {
    const kinds = new Map<string, { expected: number; found: number; falsePositive: number }>();
    const bump = (k: string, f: 'expected' | 'found' | 'falsePositive') => {
      const v = kinds.get(k) ?? { expected: 0, found: 0, falsePositive: 0 };
      v[f]++;
      kinds.set(k, v);
    };
    let resolvedRight = 0, resolvable = 0;
    for (const [name, exp] of Object.entries(EXPECTED)) {
      const { a, resolved } = await run(name);
      bump(`kind:${exp.kind}`, 'expected');
      if (a.classification.kind === exp.kind) bump(`kind:${exp.kind}`, 'found');
      else bump(`kind:${a.classification.kind}`, 'falsePositive');
      for (const k of Object.keys(exp.suggestions)) {
        bump(`suggestion:${k}`, 'expected');
        if (a.suggestions.some((s) => s.kind === k)) bump(`suggestion:${k}`, 'found');
      }
      for (const s of a.suggestions) if (!exp.suggestions[s.kind]) bump(`suggestion:${s.kind}`, 'falsePositive');
      if (exp.kind !== 'bounce') {
        resolvable++;
        if ((resolved ? numberOf(resolved.debtorId) : null) === exp.debtor) resolvedRight++;
      }
    }
    const table = [...kinds.entries()].sort().map(([k, v]) => `${k.padEnd(28)} ${v.found}/${v.expected} (${Math.round((100 * v.found) / Math.max(1, v.expected))}%), false positives ${v.falsePositive}`);
    table.push(`${'debtor resolution'.padEnd(28)} ${resolvedRight}/${resolvable} (${Math.round((100 * resolvedRight) / resolvable)}%)`);
    console.log(`recognition on ${Object.keys(EXPECTED).length} messages:\n${table.join('\n')}`);
    for (const [, v] of kinds) {
      expect(v.found).toBe(v.expected);
      expect(v.falsePositive).toBe(0);
    }
    expect(resolvedRight).toBe(resolvable);
  });
});
