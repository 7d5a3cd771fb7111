/**
 * One mail configuration for everything an administration sends: dunning letters, statements,
 * invitations, the test mail. The administration's own server (settings.smtp, set on the settings
 * page) comes first; without it the server-wide `VORDER_SMTP_URL`; without both there is no mail
 * server and nothing claims to be sent.
 */
import type { Administration } from '../../store/administrations.ts';
import { createMailer, sendLetterMail, type LetterMail, type MailerConfig, type SendResult } from './mailer.ts';

export type MailSource = 'settings' | 'environment';

/** The mail server of an administration, or null when none is configured. */
export function mailForAdministration(admin: Pick<Administration, 'settings' | 'email'>): (MailerConfig & { source: MailSource }) | null {
  const s = (admin.settings as { smtp?: Partial<MailerConfig> }).smtp;
  if (s?.host && s.port && s.from)
    return { host: s.host, port: Number(s.port), secure: s.secure, user: s.user, pass: s.pass, from: s.from, replyTo: s.replyTo, tlsRejectUnauthorized: s.tlsRejectUnauthorized, source: 'settings' };
  const env = process.env.VORDER_SMTP_URL;
  if (env) {
    let u: URL;
    try {
      u = new URL(env);
    } catch {
      return null;
    }
    return {
      host: u.hostname, port: Number(u.port || 587), secure: u.protocol === 'smtps:',
      user: u.username ? decodeURIComponent(u.username) : undefined, pass: u.password ? decodeURIComponent(u.password) : undefined,
      from: u.searchParams.get('from') ?? admin.email ?? 'vorder@localhost', source: 'environment',
    };
  }
  return null;
}

/** E-mail steps that find no mail server: refused (default), or sent as paper letters instead. */
export function paperFallbackOf(admin: Pick<Administration, 'settings'>): boolean {
  return (admin.settings as { mailFallbackToPaper?: unknown }).mailFallbackToPaper === true;
}

export type AdministrationMail = {
  to: string[];
  subject: string;
  text: string;
  html?: string;
  attachments?: { filename: string; content: Uint8Array; contentType: string }[];
  replyTo?: string;
};

export type AdministrationSendResult = SendResult | { ok: false; kind: 'permanent'; code: 'no_mail_server'; message: string };

/**
 * Send one mail with the administration's mail server. Never throws for a missing server, SMTP or
 * network failures: the result says what the server answered (or that there is no server).
 */
export async function sendAdministrationMail(admin: Pick<Administration, 'settings' | 'email'>, mail: AdministrationMail): Promise<AdministrationSendResult> {
  const config = mailForAdministration(admin);
  if (!config) return { ok: false, kind: 'permanent', code: 'no_mail_server', message: 'no mail server is configured: set one in the settings (or VORDER_SMTP_URL)' };
  let mailer;
  try {
    mailer = createMailer(config);
  } catch (e) {
    return { ok: false, kind: 'permanent', code: 'invalid_configuration', message: (e as Error).message };
  }
  try {
    const m: LetterMail = { to: mail.to, subject: mail.subject, text: mail.text, ...(mail.html ? { html: mail.html } : {}), ...(mail.attachments ? { attachments: mail.attachments } : {}), ...(mail.replyTo ? { replyTo: mail.replyTo } : {}) };
    return await sendLetterMail(mailer, m);
  } finally {
    mailer.close();
  }
}

/** The test mail of the settings page: what the server answered, in both languages' words. */
export async function sendTestMail(admin: Pick<Administration, 'settings' | 'email' | 'name'>, to: string): Promise<AdministrationSendResult> {
  return sendAdministrationMail(admin, {
    to: [to],
    subject: `Vorder: testbericht / test message (${admin.name})`,
    text: `Dit is een testbericht van Vorder voor ${admin.name}: de mailserver werkt.\n\nThis is a test message from Vorder for ${admin.name}: the mail server works.\n`,
  });
}
