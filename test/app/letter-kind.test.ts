import { describe, expect, it } from 'vitest';
import { letterKindOf, templateName } from '../../src/app/dunning-delivery.ts';

const m = (template: string, over: Partial<Parameters<typeof letterKindOf>[0]> = {}) => letterKindOf({ template, channel: 'email', stepIndex: 0, legal: {}, ...over });

describe('the letter of a step follows its template', () => {
  it('by the template name, so a new step with its own template gets that letter', () => {
    expect(templateName('dunning/reminder_2.nl')).toBe('reminder_2');
    expect(m('dunning/reminder_1.nl')).toBe('reminder');
    expect(m('dunning/second_reminder.en')).toBe('second_reminder');
    expect(m('dunning/demand.nl', { stepIndex: 0 })).toBe('demand'); // not "reminder" because it is the first step
    expect(m('dunning/extra_reminder.nl', { channel: 'email', stepIndex: 2 })).toBe('second_reminder'); // unknown template: by channel and position
    expect(m('dunning/payment_plan.nl')).toBe('payment_plan');
  });
  it('but the statutory letters keep their wording whatever the template is called', () => {
    expect(m('dunning/reminder_1.nl', { legal: { fourteenDayLetter: true } })).toBe('fourteen_day_letter');
    expect(m('dunning/fourteen_day_letter.nl', { legal: {} })).toBe('reminder'); // no legal flag: no 14-dagenbrief claims
    expect(m('dunning/demand.nl', { legal: { noticeOfDefault: true } })).toBe('notice_of_default');
    expect(m('anything', { channel: 'statement' })).toBe('statement');
  });
});
