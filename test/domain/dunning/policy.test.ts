import { describe, expect, it } from 'vitest';
import {
  BUILT_IN_POLICIES,
  choosePolicy,
  DEFAULT_POLICY,
  LARGE_ACCOUNT_POLICY,
  makePolicyChooser,
  policyErrors,
  stepAppliesTo,
  validatePolicy,
  type DunningPolicy,
  type DunningStep,
} from '../../../src/domain/dunning/policy.ts';

const step = (over: Partial<DunningStep> = {}): DunningStep => ({
  key: 'reminder',
  name: 'Herinnering',
  basis: 'due_date',
  delayDays: 2,
  channel: 'email',
  template: { nl: 'r.nl', en: 'r.en' },
  minimumCents: 0,
  legal: {},
  ...over,
});
const policy = (steps: DunningStep[], over: Partial<DunningPolicy> = {}): DunningPolicy => ({ key: 'p', name: 'P', steps, ...over });
const fields = (p: DunningPolicy) => validatePolicy(p).map((x) => `${x.severity}:${x.field}:${x.code}`);

describe('DEFAULT_POLICY', () => {
  it('follows good Dutch practice: reminder +2, second reminder +14, phone, demand, 14-dagenbrief / notice of default, hand-over', () => {
    expect(DEFAULT_POLICY.steps.map((s) => [s.key, s.basis, s.delayDays, s.channel, s.audience ?? 'all'])).toEqual([
      ['reminder_1', 'due_date', 2, 'email', 'all'],
      ['reminder_2', 'previous_step', 14, 'email', 'all'],
      ['phone', 'previous_step', 7, 'phone', 'all'],
      ['demand', 'previous_step', 7, 'letter', 'all'],
      ['fourteen_day_letter', 'previous_step', 14, 'letter', 'consumer'],
      ['notice_of_default', 'previous_step', 14, 'letter', 'business'],
      ['collection_agency', 'previous_step', 14, 'letter', 'all'],
    ]);
  });
  it('the 14-dagenbrief only announces costs; the notice of default charges interest and costs; the hand-over is flagged', () => {
    const by = Object.fromEntries(DEFAULT_POLICY.steps.map((s) => [s.key, s]));
    expect(by.fourteen_day_letter!.legal).toEqual({ fourteenDayLetter: true });
    expect(by.notice_of_default!.legal).toEqual({ noticeOfDefault: true, chargeInterest: true, chargeCosts: true });
    expect(by.collection_agency!.legal).toEqual({ collectionAgency: true, chargeInterest: true, chargeCosts: true });
    expect(by.reminder_1!.legal).toEqual({});
  });
  it('the audience splits the consumer and business step at the same position', () => {
    const forType = (t: 'business' | 'consumer') => DEFAULT_POLICY.steps.filter((s) => stepAppliesTo(s, t)).map((s) => s.key);
    expect(forType('consumer')).toEqual(['reminder_1', 'reminder_2', 'phone', 'demand', 'fourteen_day_letter', 'collection_agency']);
    expect(forType('business')).toEqual(['reminder_1', 'reminder_2', 'phone', 'demand', 'notice_of_default', 'collection_agency']);
  });
  it('has templates per language and validates without problems', () => {
    for (const s of DEFAULT_POLICY.steps) expect(s.template.nl).not.toBe(s.template.en);
    expect(validatePolicy(DEFAULT_POLICY)).toEqual([]);
  });
});

describe('LARGE_ACCOUNT_POLICY', () => {
  it('sends a monthly statement instead of per-invoice reminders, for the large_account segment', () => {
    expect(LARGE_ACCOUNT_POLICY.appliesTo).toEqual({ kind: 'segment', segment: 'large_account' });
    expect(LARGE_ACCOUNT_POLICY.steps[0]).toMatchObject({ channel: 'statement', schedule: { monthlyDay: 1 } });
    expect(LARGE_ACCOUNT_POLICY.steps.some((s) => s.channel === 'email')).toBe(false);
    expect(validatePolicy(LARGE_ACCOUNT_POLICY)).toEqual([]);
  });
});

describe('validatePolicy', () => {
  it('reports problems by field', () => {
    const p = policy(
      [
        step({ key: 'a' }),
        step({ key: 'a', basis: 'previous_step', delayDays: -1 }),
        step({ key: 'B c', name: ' ', basis: 'later' as never, delayDays: 1.5, channel: 'fax' as never, template: { nl: '', en: 'x' }, minimumCents: -1 }),
      ],
      { key: '', name: '' },
    );
    expect(fields(p)).toEqual([
      'error:key:bad_key',
      'error:name:required',
      'error:steps[1].key:duplicate_key',
      'error:steps[1].delayDays:negative',
      'error:steps[2].key:bad_key',
      'error:steps[2].name:required',
      'error:steps[2].basis:bad_value',
      'error:steps[2].delayDays:not_integer',
      'error:steps[2].channel:bad_value',
      'error:steps[2].template.nl:required',
      'error:steps[2].minimumCents:bad_amount',
    ]);
  });
  it('needs steps', () => {
    expect(fields(policy([]))).toEqual(['error:steps:required']);
  });
  it('limits delays: a pre-due reminder up to a year before the due date', () => {
    expect(fields(policy([step({ delayDays: -3 })]))).toEqual([]);
    expect(fields(policy([step({ delayDays: -400 })]))).toEqual(['error:steps[0].delayDays:too_small']);
    expect(fields(policy([step({ delayDays: 4000 })]))).toEqual(['error:steps[0].delayDays:too_large']);
  });
  it('a statement step needs a day of the month, counts from the due date and has no legal effect', () => {
    expect(fields(policy([step({ channel: 'statement' })]))).toEqual(['error:steps[0].schedule.monthlyDay:required']);
    expect(fields(policy([step({ channel: 'statement', schedule: { monthlyDay: 32 } })]))).toEqual(['error:steps[0].schedule.monthlyDay:bad_value']);
    expect(fields(policy([step({ channel: 'statement', schedule: { monthlyDay: 1 }, legal: { chargeCosts: true } })]))).toContain('error:steps[0].legal:statement_legal');
    expect(fields(policy([step({ schedule: { monthlyDay: 3 } })]))).toEqual(['warning:steps[0].schedule.monthlyDay:ignored']);
  });
  it('checks the legal flags against Dutch law', () => {
    const letter = (over: Partial<DunningStep>) => step({ key: 'l', basis: 'previous_step', delayDays: 14, channel: 'letter', legal: { fourteenDayLetter: true }, ...over });
    expect(fields(policy([step(), letter({ audience: 'business' })]))).toEqual(['error:steps[1].audience:fourteen_day_letter_business']);
    expect(fields(policy([step(), letter({ legal: { fourteenDayLetter: true, chargeCosts: true } })]))).toContain('error:steps[1].legal.chargeCosts:fourteen_day_letter_costs');
    expect(fields(policy([step(), letter({ channel: 'phone' })]))).toContain('error:steps[1].channel:fourteen_day_letter_channel');
    expect(fields(policy([letter({ basis: 'due_date' })]))).toEqual(['warning:steps[0].legal.fourteenDayLetter:fourteen_day_letter_first']);
    expect(fields(policy([step({ channel: 'phone', legal: { noticeOfDefault: true } })]))).toEqual(['error:steps[0].channel:notice_channel']);
    expect(fields(policy([step({ channel: 'letter', legal: { chargeCosts: true } })]))).toEqual([
      'warning:steps[0].legal.chargeCosts:consumer_costs_without_letter',
    ]);
    expect(fields(policy([step({ channel: 'letter', audience: 'business', legal: { chargeCosts: true } })]))).toEqual([]);
  });
  it('warns when the first step counts from a previous step', () => {
    expect(fields(policy([step({ basis: 'previous_step' })]))).toEqual(['warning:steps[0].basis:first_previous_step']);
  });
  it('checks the scope', () => {
    expect(fields(policy([step()], { appliesTo: { kind: 'segment', segment: '' } }))).toEqual(['error:appliesTo.segment:required']);
    expect(fields(policy([step()], { appliesTo: { kind: 'debtor', debtorIds: [] } }))).toEqual(['error:appliesTo.debtorIds:required']);
  });
  it('policyErrors keeps only errors', () => {
    expect(policyErrors(policy([step({ basis: 'previous_step' })]))).toEqual([]);
  });
});

describe('choosePolicy: per debtor > per segment > administration default', () => {
  const special: DunningPolicy = { ...DEFAULT_POLICY, id: 'pol-7', key: 'strict', appliesTo: { kind: 'debtor', debtorIds: ['d3'] } };
  const small: DunningPolicy = { ...DEFAULT_POLICY, key: 'small', appliesTo: { kind: 'segment', segment: 'small' } };
  const all = [DEFAULT_POLICY, LARGE_ACCOUNT_POLICY, special, small];
  it('falls back to the administration default', () => {
    expect(choosePolicy({ id: 'd1' }, all)).toBe(DEFAULT_POLICY);
    expect(choosePolicy({ id: 'd1', segment: 'unknown' }, all)).toBe(DEFAULT_POLICY);
  });
  it('a segment policy beats the default', () => {
    expect(choosePolicy({ id: 'd1', segment: 'large_account' }, all)).toBe(LARGE_ACCOUNT_POLICY);
    expect(choosePolicy({ id: 'd1', segment: 'small' }, all)).toBe(small);
  });
  it('a debtor policy beats the segment, by scope or by the debtor naming it (id or key)', () => {
    expect(choosePolicy({ id: 'd3', segment: 'large_account' }, all)).toBe(special);
    expect(choosePolicy({ id: 'd1', segment: 'large_account', policyId: 'pol-7' }, all)).toBe(special);
    expect(choosePolicy({ id: 'd1', segment: 'large_account', policyId: 'small' }, all)).toBe(small);
  });
  it('an unknown named policy falls back; no default gives null', () => {
    expect(choosePolicy({ id: 'd1', policyId: 'gone' }, all)).toBe(DEFAULT_POLICY);
    expect(choosePolicy({ id: 'd1' }, [LARGE_ACCOUNT_POLICY])).toBeNull();
    expect(makePolicyChooser(BUILT_IN_POLICIES)({ id: 'x', segment: 'large_account' })).toBe(LARGE_ACCOUNT_POLICY);
  });
});
