/**
 * Letter mail against a real SMTP server in-process (smtp-server, no STARTTLS, 127.0.0.1), the
 * received message parsed with mailparser; the attached PDF's QR code is decoded (pdftoppm + jsQR).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressObject } from 'mailparser';
import { decodePdfQr, startSmtp, type TestSmtp } from '../support/smtp.ts';
import { createMailer, retryDelay, retryDelayBounds, sendLetterMail, type LetterMail, type Mailer } from '../../src/app/mail/mailer.ts';
import { letterEpcPayload, letterText, renderLetterPdf, type LetterData } from '../../src/app/documents/letter.ts';

function rcptError(code: number, message: string) {
  return (_addr: unknown, _session: unknown, cb: (err?: Error | null) => void) => {
    const err = Object.assign(new Error(message), { responseCode: code });
    cb(err);
  };
}

const LETTER: LetterData = {
  language: 'nl',
  kind: 'reminder',
  date: '2025-03-05',
  creditor: { name: 'Voorbeeld Incasso B.V.', addressLine: 'Keizersgracht 123', postalCode: '1015 CJ', city: 'Amsterdam', iban: 'NL91ABNA0417164300', bic: 'ABNANL2A', kvk: '12345678', email: 'debiteuren@voorbeeld.nl' },
  debtor: { name: 'Łukasz Żółć', number: 'D-4711', addressLine: 'Dorpsstraat 1', postalCode: '3511 AB', city: 'Utrecht' },
  items: [{ number: '2025-00123', issueDate: '2025-01-02', dueDate: '2025-01-16', openCents: 123_456 }],
  principalCents: 123_456,
  interestCents: 0,
  costsCents: 0,
  vatCents: 0,
  totalCents: 123_456,
  currency: 'EUR',
  paymentReference: 'RF18539007547034',
  payBy: '2025-03-19',
};

const mailerFor = (port: number): Mailer => createMailer({ host: '127.0.0.1', port, secure: false, from: 'Voorbeeld Incasso <debiteuren@voorbeeld.nl>', replyTo: 'antwoord@voorbeeld.nl' });
const addresses = (a: AddressObject | AddressObject[] | undefined) => (Array.isArray(a) ? a : a ? [a] : []).flatMap((x) => x.value.map((v) => v.address));

describe('sendLetterMail', () => {
  let server: TestSmtp;
  beforeAll(async () => {
    server = await startSmtp();
  });
  afterAll(async () => {
    await server.close();
  });

  it('delivers the letter with its PDF; the QR code in the attachment pays the letter', async () => {
    const pdf = await renderLetterPdf(LETTER);
    const mailer = mailerFor(server.port);
    const text = letterText(LETTER);
    const mail: LetterMail = {
      to: ['Łukasz Żółć <lukasz@example.pl>', 'boekhouding@example.nl'],
      subject: 'Betalingsherinnering D-4711 — factuur 2025-00123',
      text,
      html: '<p>Zie bijlage.</p>',
      pdf: { filename: 'herinnering-2025-00123.pdf', content: pdf },
      attachments: [{ filename: 'specificatie.csv', content: new TextEncoder().encode('factuur;bedrag\n2025-00123;1234.56\n'), contentType: 'text/csv' }],
      replyTo: 'Team Debiteuren <team@voorbeeld.nl>',
      headers: { 'X-Vorder-Letter': 'L-1' },
    };
    const before = server.received.length;
    const res = await sendLetterMail(mailer, mail);
    mailer.close();
    expect(res).toMatchObject({ ok: true, accepted: ['lukasz@example.pl', 'boekhouding@example.nl'], rejected: [] });
    if (!res.ok) throw new Error('not sent');
    expect(res.messageId).toMatch(/^<.+@.+>$/);
    expect(server.received.length).toBe(before + 1);
    const m = server.received.at(-1)!;
    expect(m.from?.value).toEqual([{ name: 'Voorbeeld Incasso', address: 'debiteuren@voorbeeld.nl' }]);
    expect(addresses(m.to)).toEqual(['lukasz@example.pl', 'boekhouding@example.nl']);
    expect((m.to as AddressObject).value[0]!.name).toBe('Łukasz Żółć');
    expect(m.replyTo?.value).toEqual([{ name: 'Team Debiteuren', address: 'team@voorbeeld.nl' }]);
    expect(m.subject).toBe(mail.subject);
    expect(m.messageId).toBe(res.messageId);
    expect(m.text?.trim()).toBe(text.trim());
    expect(m.html).toContain('Zie bijlage.');
    expect(m.headers.get('x-vorder-letter')).toBe('L-1');
    expect(m.attachments).toHaveLength(2);
    const att = m.attachments[0]!;
    expect(att.filename).toBe('herinnering-2025-00123.pdf');
    expect(att.contentType).toBe('application/pdf');
    expect(Buffer.compare(att.content, Buffer.from(pdf))).toBe(0);
    expect(m.attachments[1]!.contentType).toBe('text/csv');
    expect(decodePdfQr(att.content)).toBe('BCD\n002\n1\nSCT\nABNANL2A\nVoorbeeld Incasso B.V.\nNL91ABNA0417164300\nEUR1234.56\n\nRF18539007547034');
    expect(letterEpcPayload(LETTER)).toBe('BCD\n002\n1\nSCT\nABNANL2A\nVoorbeeld Incasso B.V.\nNL91ABNA0417164300\nEUR1234.56\n\nRF18539007547034');
  });

  it("uses the mailer's reply-to when the mail has none", async () => {
    const mailer = mailerFor(server.port);
    const res = await sendLetterMail(mailer, { to: ['a@example.nl'], subject: 'Herinnering', text: 'x', pdf: { filename: 'a.pdf', content: new Uint8Array([37, 80, 68, 70]) } });
    mailer.close();
    expect(res.ok).toBe(true);
    expect(server.received.at(-1)!.replyTo?.value).toEqual([{ name: '', address: 'antwoord@voorbeeld.nl' }]);
  });

  it.each([
    ['subject with CRLF', { subject: 'Herinnering\r\nBcc: victim@example.com' }],
    ['subject with LF', { subject: 'Herinnering\nX-Injected: 1' }],
    ['recipient with CRLF', { to: ['a@example.nl\r\nBcc: victim@example.com'] }],
    ['display name with LF', { to: ['Evil\nBcc: victim@example.com <a@example.nl>'] }],
    ['reply-to with CR', { replyTo: 'x@example.nl\rBcc: victim@example.com' }],
    ['not an address', { to: ['nobody'] }],
    ['no recipients', { to: [] }],
    ['file name with CRLF', { pdf: { filename: 'a.pdf\r\nContent-Type: text/html', content: new Uint8Array([1]) } }],
    ['header value with CRLF', { headers: { 'X-Letter': '1\r\nBcc: victim@example.com' } }],
    ['header overriding Bcc', { headers: { Bcc: 'victim@example.com' } }],
  ] as [string, Partial<LetterMail>][])('refuses a %s before sending', async (_name, over) => {
    const mailer = mailerFor(server.port);
    const connections = server.connections;
    const received = server.received.length;
    const res = await sendLetterMail(mailer, { to: ['a@example.nl'], subject: 'Herinnering', text: 'x', pdf: { filename: 'a.pdf', content: new Uint8Array([1]) }, ...over });
    mailer.close();
    expect(res).toMatchObject({ ok: false, kind: 'permanent', code: 'invalid_message' });
    expect(server.connections).toBe(connections);
    expect(server.received.length).toBe(received);
  });

  it('refuses a from address with a line break when the mailer is created', () => {
    expect(() => createMailer({ host: '127.0.0.1', port: 25, from: 'a@example.nl\r\nBcc: b@example.nl' })).toThrow(/line breaks/);
  });
});

describe('SMTP failures are returned, not thrown', () => {
  it('451 on RCPT is temporary', async () => {
    const server = await startSmtp({ onRcptTo: rcptError(451, 'Greylisted, try again later') });
    try {
      const mailer = mailerFor(server.port);
      const res = await sendLetterMail(mailer, { to: ['a@example.nl'], subject: 'Herinnering', text: 'x', pdf: { filename: 'a.pdf', content: new Uint8Array([1]) } });
      mailer.close();
      expect(res).toMatchObject({ ok: false, kind: 'temporary', code: '451' });
      if (!res.ok) expect(res.message).toMatch(/Greylisted/);
    } finally {
      await server.close();
    }
  });

  it('550 on RCPT is permanent', async () => {
    const server = await startSmtp({ onRcptTo: rcptError(550, 'No such user') });
    try {
      const mailer = mailerFor(server.port);
      const res = await sendLetterMail(mailer, { to: ['a@example.nl'], subject: 'Herinnering', text: 'x', pdf: { filename: 'a.pdf', content: new Uint8Array([1]) } });
      mailer.close();
      expect(res).toMatchObject({ ok: false, kind: 'permanent', code: '550' });
    } finally {
      await server.close();
    }
  });

  it('one rejected recipient out of two: sent, the rejected one reported', async () => {
    const server = await startSmtp({
      onRcptTo(addr, _s, cb) {
        if (addr.address === 'gone@example.nl') cb(Object.assign(new Error('No such user'), { responseCode: 550 }));
        else cb();
      },
    });
    try {
      const mailer = mailerFor(server.port);
      const res = await sendLetterMail(mailer, { to: ['a@example.nl', 'gone@example.nl'], subject: 'Herinnering', text: 'x', pdf: { filename: 'a.pdf', content: new Uint8Array([1]) } });
      mailer.close();
      expect(res).toMatchObject({ ok: true, accepted: ['a@example.nl'], rejected: ['gone@example.nl'] });
    } finally {
      await server.close();
    }
  });

  it('a 554 on DATA is permanent, a 452 on DATA temporary', async () => {
    for (const [code, kind] of [
      [554, 'permanent'],
      [452, 'temporary'],
    ] as const) {
      const server = await startSmtp({
        onData(stream, _s, cb) {
          stream.resume();
          stream.on('end', () => cb(Object.assign(new Error('Rejected'), { responseCode: code })));
        },
      });
      try {
        const mailer = mailerFor(server.port);
        const res = await sendLetterMail(mailer, { to: ['a@example.nl'], subject: 'Herinnering', text: 'x', pdf: { filename: 'a.pdf', content: new Uint8Array([1]) } });
        mailer.close();
        expect(res).toMatchObject({ ok: false, kind, code: String(code) });
      } finally {
        await server.close();
      }
    }
  });

  it('no server listening is temporary', async () => {
    const server = await startSmtp();
    const port = server.port;
    await server.close();
    const mailer = mailerFor(port);
    const res = await sendLetterMail(mailer, { to: ['a@example.nl'], subject: 'Herinnering', text: 'x', pdf: { filename: 'a.pdf', content: new Uint8Array([1]) } });
    mailer.close();
    expect(res).toMatchObject({ ok: false, kind: 'temporary' });
  });
});

describe('retryDelay', () => {
  it('doubles from one minute up to the six-hour cap, within the jitter bounds', () => {
    expect(retryDelay(1)).toBe(60_000);
    expect(retryDelay(2)).toBe(120_000);
    expect(retryDelay(3)).toBe(240_000);
    expect(retryDelay(100)).toBe(Math.round((6 * 3_600_000 * 0.8 + 6 * 3_600_000) / 2));
    for (let attempt = 1; attempt <= 30; attempt++) {
      const { min, max } = retryDelayBounds(attempt);
      expect(min).toBeLessThanOrEqual(max);
      expect(max).toBeLessThanOrEqual(6 * 3_600_000);
      for (const random of [0, 0.25, 0.5, 0.999, 1]) {
        const d = retryDelay(attempt, { random });
        expect(d).toBeGreaterThanOrEqual(min);
        expect(d).toBeLessThanOrEqual(max);
      }
      if (attempt > 1) expect(retryDelayBounds(attempt).min).toBeGreaterThanOrEqual(retryDelayBounds(attempt - 1).min);
    }
    expect(retryDelayBounds(1)).toEqual({ min: 48_000, max: 72_000 });
    expect(retryDelay(1, { random: 0 })).toBe(48_000);
    expect(retryDelay(1, { baseMs: 1_000, jitter: 0 })).toBe(1_000);
    expect(retryDelay(0)).toBe(retryDelay(1)); // attempts below 1 count as the first
  });
});
