/**
 * Adding a person to an administration: an invitation, mailed as a one-time link (7 days) that the
 * person accepts on /invite, choosing a name and password, or with the account they are logged in
 * with. The owner's answer is the same whether or not the address has an account (it names no
 * user, tells no login time), and nobody is added without having accepted.
 *
 * The mail goes through the administration's own mail settings (settings.smtp), else
 * VORDER_SMTP_URL. Without a mail server, or when sending fails, the invitation is still made and
 * the link is given to the owner to pass on, saying so.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../store/db.ts';
import type { Administration } from '../store/administrations.ts';
import { findUserByEmail, upsertMembership, ROLES, type Role, type User } from '../store/auth.ts';
import { findUsableInvitation, insertInvitation, markInvitationAccepted, type Invitation } from '../store/invitations.ts';
import { checkPassword, createUser, normalizeEmail, sha256 } from './auth.ts';
import { mailerConfigOf } from './dunning-delivery.ts';
import { createMailer, type MailerConfig } from './mail/mailer.ts';
import { linkTo } from './links.ts';
import { AppError, invalid } from './errors.ts';

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
export type { Invitation };
/** `reason` says why the link is handed over instead of mailed: no mail server, or sending failed (`notice` has the detail). */
export type InviteResult = { invitation: Invitation; mailed: boolean; reason: 'no_mail_server' | 'send_failed' | null; link: string | null; notice: string | null };

const ROLE_NL: Record<Role, string> = { owner: 'eigenaar', controller: 'controller', viewer: 'alleen lezen', accountant: 'accountant' };
const plain = (s: string) => s.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 200);

export async function inviteMember(db: Db, admin: Administration, input: { email: string; role: Role; invitedBy: number | null }, opts: { baseUrl: string; smtp?: MailerConfig | null; now?: Date }): Promise<InviteResult> {
  if (!ROLES.includes(input.role)) throw invalid(`unknown role "${input.role}"`, [{ field: 'role', code: 'invalid', message: `one of ${ROLES.join(', ')}` }]);
  const email = normalizeEmail(input.email);
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date((opts.now ?? new Date()).getTime() + INVITATION_TTL_MS);
  const invitation = await db.transaction((tx) => insertInvitation(tx, { administrationId: admin.id, email, role: input.role, tokenHash: sha256(token), invitedBy: input.invitedBy, expiresAt }));
  const link = linkTo(opts.baseUrl.replace(/\/+$/, ''), 'invite', token);
  const smtp = opts.smtp === undefined ? mailerConfigOf(admin) : opts.smtp;
  if (!smtp) return { invitation, mailed: false, reason: 'no_mail_server', link, notice: 'no mail server is configured (the mail settings of this administration, or VORDER_SMTP_URL): the invitation was made; pass the link on to the person yourself' };
  const name = plain(admin.name);
  const mailer = createMailer(smtp);
  try {
    await mailer.transport.sendMail({
      from: smtp.from,
      to: email,
      subject: `Uitnodiging voor ${name} in Vorder / Invitation to ${name} in Vorder`,
      text:
        `U bent uitgenodigd voor de administratie "${name}" in Vorder (rol: ${ROLE_NL[input.role]}).\nAccepteer via deze link (zeven dagen geldig, één keer te gebruiken):\n\n${link}\n\n` +
        `You have been invited to the administration "${name}" in Vorder (role: ${input.role}).\nAccept with this link (valid for seven days, once):\n\n${link}\n\n` +
        `Niet verwacht? Negeer dit bericht. / Not expected? Ignore this message.\n`,
      disableFileAccess: true,
      disableUrlAccess: true,
    });
  } catch (e) {
    return { invitation, mailed: false, reason: 'send_failed', link, notice: `the invitation mail could not be sent (${(e as Error).message.slice(0, 200)}): the invitation was made; pass the link on to the person yourself` };
  } finally {
    mailer.close();
  }
  return { invitation, mailed: true, reason: null, link: null, notice: null };
}

const notValid = () => new AppError('bad_request', 'this invitation is not valid (any more): ask for a new one');

/** What the /invite page shows before accepting (the holder of the link already knows the address). */
export async function invitationInfo(db: Db, token: string): Promise<{ administrationName: string; email: string; role: Role; expiresAt: string }> {
  const inv = typeof token === 'string' && token.length <= 200 ? await findUsableInvitation(db, sha256(token)) : null;
  if (!inv) throw notValid();
  return { administrationName: inv.administrationName, email: inv.email, role: inv.role, expiresAt: inv.expiresAt };
}

/**
 * Accept: with `user` (a logged-in person) that account gets the role; else a new account is made
 * for the invited address with the chosen name and password. If the address already has an
 * account, the person logs in first (the link holder is the one told, nobody else).
 */
export async function acceptInvitation(db: Db, token: string, input: { user?: User | null; name?: string; password?: string }): Promise<{ user: User; administrationId: number; role: Role; created: boolean }> {
  if (!input.user) checkPassword(input.password ?? '');
  return db.transaction(async (tx) => {
    const inv = typeof token === 'string' && token.length <= 200 ? await findUsableInvitation(tx, sha256(token), true) : null;
    if (!inv) throw notValid();
    let user = input.user ?? null;
    let created = false;
    if (!user) {
      if (await findUserByEmail(tx, inv.email)) throw new AppError('conflict', 'this address already has an account: log in with it, then open the link again');
      user = await createUser(tx, { email: inv.email, name: String(input.name ?? '').trim() || inv.email, password: input.password! });
      created = true;
    }
    await upsertMembership(tx, user.id, inv.administrationId, inv.role);
    await markInvitationAccepted(tx, inv.id, user.id);
    return { user, administrationId: inv.administrationId, role: inv.role, created };
  });
}
