import { describe, expect, it } from 'vitest';
import { describeAudit } from '../../src/app/audit-words.ts';

describe('the audit log in words', () => {
  const row = (method: string, path: string, status = 200) => ({ method, path, status });
  it('says what was done to which subject, in Dutch and English', () => {
    expect(describeAudit(row('POST', '/api/administrations/3/bank-lines/17/confirm'), 'nl')).toEqual({ what: 'Betaling geboekt', subject: { kind: 'bank_line', id: '17' } });
    expect(describeAudit(row('POST', '/api/administrations/3/bank-lines/17/confirm'), 'en')).toEqual({ what: 'Booked a payment', subject: { kind: 'bank_line', id: '17' } });
    expect(describeAudit(row('POST', '/api/administrations/3/debtors/42/hold'), 'nl')).toEqual({ what: 'Debiteur gepauzeerd', subject: { kind: 'debtor', id: '42' } });
    expect(describeAudit(row('PATCH', '/api/administrations/3'), 'en').what).toBe("Changed the administration's details");
    expect(describeAudit(row('PUT', '/api/administrations/3/templates/reminder/nl'), 'nl')).toEqual({ what: 'Sjabloon gewijzigd', subject: { kind: 'settings', id: null } });
  });
  it('marks refusals and never hides an unknown request', () => {
    expect(describeAudit(row('DELETE', '/api/administrations/3/users/9', 403), 'nl').what).toBe('Toegang van gebruiker ingetrokken (geweigerd, 403)');
    expect(describeAudit(row('POST', '/api/administrations/3/something/new'), 'en')).toEqual({ what: 'Request: POST /something/new', subject: null });
  });
});
