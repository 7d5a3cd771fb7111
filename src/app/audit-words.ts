/**
 * The audit log in words: a logged request (method and path) said as what a person did to which
 * debtor, item, payment, setting or user, in Dutch or English, with the subject to link to. The one
 * place these sentences live: the API sends them to the web app, the CSV export writes them.
 */
export type AuditLang = 'nl' | 'en';
export type AuditSubjectKind = 'debtor' | 'item' | 'bank_line' | 'task' | 'promise' | 'dispute' | 'plan' | 'user' | 'token' | 'settings' | 'dunning' | 'import' | 'export';
export type AuditWords = { what: string; subject: { kind: AuditSubjectKind; id: string | null } | null };

type Rule = readonly [method: string, path: RegExp, kind: AuditSubjectKind, nl: string, en: string];

/** Paths after /api/administrations/{id}; `$1` is the subject's id where the pattern has one. */
const RULES: readonly Rule[] = [
  ['POST', /^\/debtors\/(\d+)\/notes$/, 'debtor', 'Notitie toegevoegd', 'Added a note'],
  ['POST', /^\/debtors\/(\d+)\/calls$/, 'debtor', 'Telefoongesprek vastgelegd', 'Logged a call'],
  ['POST', /^\/debtors\/(\d+)\/entries$/, 'debtor', 'Dossierregel toegevoegd', 'Added a dossier entry'],
  ['POST', /^\/debtors\/(\d+)\/hold$/, 'debtor', 'Debiteur gepauzeerd', 'Paused the debtor'],
  ['POST', /^\/debtors\/(\d+)\/release$/, 'debtor', 'Pauze van debiteur opgeheven', 'Resumed the debtor'],
  ['PUT', /^\/debtors\/(\d+)\/status$/, 'debtor', 'Status van debiteur gewijzigd', "Changed the debtor's status"],
  ['PUT', /^\/debtors\/(\d+)\/tags$/, 'debtor', 'Labels van debiteur gewijzigd', "Changed the debtor's tags"],
  ['PUT', /^\/debtors\/(\d+)\/credit$/, 'debtor', 'Kredietlimiet en voorwaarden gewijzigd', 'Changed the credit limit and conditions'],
  ['POST', /^\/debtors\/(\d+)\/statement$/, 'debtor', 'Rekeningoverzicht verstuurd', 'Sent a statement of account'],
  ['POST', /^\/debtors\/(\d+)\/(next-step|dunning\/next)(\/send)?$/, 'debtor', 'Volgende aanmaning verstuurd', 'Sent the next reminder'],
  ['PATCH', /^\/debtors\/(\d+)$/, 'debtor', 'Debiteur gewijzigd', 'Changed the debtor'],
  ['POST', /^\/debtors\/bulk$/, 'debtor', 'Actie op geselecteerde debiteuren', 'Action on selected debtors'],
  ['POST', /^\/debtors$/, 'debtor', 'Debiteur aangemaakt', 'Created a debtor'],
  ['PUT', /^\/timeline\/(\d+)$/, 'debtor', 'Dossierregel bewerkt', 'Edited a dossier entry'],
  ['POST', /^\/items\/(\d+)\/hold$/, 'item', 'Post gepauzeerd', 'Paused the item'],
  ['POST', /^\/items\/(\d+)\/release$/, 'item', 'Pauze van post opgeheven', 'Resumed the item'],
  ['PATCH', /^\/items\/(\d+)$/, 'item', 'Post gewijzigd', 'Changed the item'],
  ['POST', /^\/items$/, 'item', 'Post aangemaakt', 'Created an item'],
  ['POST', /^\/bank-lines\/(\d+)\/confirm$/, 'bank_line', 'Betaling geboekt', 'Booked a payment'],
  ['POST', /^\/bank-lines\/(\d+)\/reject$/, 'bank_line', 'Voorstel voor betaling afgewezen', 'Rejected a payment suggestion'],
  ['POST', /^\/bank-lines\/(\d+)\/undo$/, 'bank_line', 'Boeking van betaling ongedaan gemaakt', 'Undid a payment booking'],
  ['POST', /^\/bank-lines\/(\d+)\/ignore$/, 'bank_line', 'Betaling genegeerd', 'Ignored a payment'],
  ['POST', /^\/statements$/, 'import', 'Bankafschrift ingelezen', 'Imported a bank statement'],
  ['POST', /^\/imports(\/.*)?$/, 'import', 'Debiteuren of posten ingelezen', 'Imported debtors or items'],
  ['POST', /^\/mandates\/import$/, 'import', 'Incassomachtigingen ingelezen', 'Imported direct debit mandates'],
  ['POST', /^\/mandates\/\d+\/revoke$/, 'debtor', 'Incassomachtiging ingetrokken', 'Revoked a direct debit mandate'],
  ['PATCH', /^\/mandates\/\d+$/, 'debtor', 'Incassomachtiging gewijzigd', 'Changed a direct debit mandate'],
  ['POST', /^\/collections$/, 'export', 'Incassobatch aangemaakt', 'Wrote a direct debit batch'],
  ['POST', /^\/mandates$/, 'debtor', 'Incassomachtiging vastgelegd', 'Recorded a direct debit mandate'],
  ['POST', /^\/tasks$/, 'task', 'Taak aangemaakt', 'Created a task'],
  ['POST', /^\/tasks\/(\d+)\/complete$/, 'task', 'Taak afgerond', 'Completed a task'],
  ['POST', /^\/tasks\/(\d+)\/assign$/, 'task', 'Taak toegewezen', 'Assigned a task'],
  ['PATCH', /^\/tasks\/(\d+)$/, 'task', 'Taak verzet of herprioriteerd', 'Rescheduled or reprioritised a task'],
  ['POST', /^\/promises$/, 'promise', 'Betalingsbelofte vastgelegd', 'Recorded a promise to pay'],
  ['PUT', /^\/promises\/(\d+)$/, 'promise', 'Betalingsbelofte gewijzigd', 'Changed a promise to pay'],
  ['POST', /^\/promises\/(\d+)\/cancel$/, 'promise', 'Betalingsbelofte ingetrokken', 'Withdrew a promise to pay'],
  ['POST', /^\/promises\/check$/, 'promise', 'Beloftes gecontroleerd', 'Checked the promises'],
  ['POST', /^\/disputes$/, 'dispute', 'Geschil geopend', 'Opened a dispute'],
  ['POST', /^\/disputes\/(\d+)\/resolve$/, 'dispute', 'Geschil opgelost', 'Resolved a dispute'],
  ['POST', /^\/disputes\/(\d+)\/resend-invoice$/, 'dispute', 'Factuurkopie opnieuw verstuurd', 'Re-sent an invoice copy'],
  ['POST', /^\/dispute-reasons$/, 'settings', 'Reden voor geschillen toegevoegd', 'Added a dispute reason'],
  ['POST', /^\/payment-plans\/preview$/, 'plan', 'Betalingsregeling doorgerekend (niet opgeslagen)', 'Worked out a payment plan (not saved)'],
  ['POST', /^\/payment-plans$/, 'plan', 'Betalingsregeling getroffen', 'Made a payment plan'],
  ['POST', /^\/payment-plans\/(\d+)\/cancel$/, 'plan', 'Betalingsregeling beëindigd', 'Ended a payment plan'],
  ['POST', /^\/payment-plans\/check$/, 'plan', 'Betalingsregelingen gecontroleerd', 'Checked the payment plans'],
  ['POST', /^\/care\/checks$/, 'task', 'Dagelijkse controles gedraaid', 'Ran the daily checks'],
  ['POST', /^\/segments\/evaluate$/, 'settings', 'Segmenten opnieuw bepaald', 'Re-evaluated the segments'],
  ['POST', /^\/dunning\/runs$/, 'dunning', 'Aanmaanrun verstuurd', 'Sent a dunning run'],
  ['POST', /^\/outbox\/(\d+)\/resend$/, 'dunning', 'Bericht opnieuw verstuurd', 'Resent a message'],
  ['POST', /^\/outbox\/(\d+)\/cancel$/, 'dunning', 'Bericht geannuleerd', 'Cancelled a message'],
  ['POST', /^\/outbox\/(\d+)\/mark-sent$/, 'dunning', 'Bericht gemarkeerd als verzonden of niet', 'Marked a message as sent or not'],
  ['POST', /^\/outbox(\/.*)?$/, 'dunning', 'Uitgaande post bijgewerkt', 'Updated the outbox'],
  ['PUT', /^\/dunning\/policies\/([^/]+)$/, 'settings', 'Aanmaanbeleid gewijzigd', 'Changed a dunning policy'],
  ['DELETE', /^\/dunning\/policies\/([^/]+)$/, 'settings', 'Aanmaanbeleid verwijderd', 'Deleted a dunning policy'],
  ['PUT', /^\/templates\/([^/]+\/[^/]+)$/, 'settings', 'Sjabloon gewijzigd', 'Changed a template'],
  ['DELETE', /^\/templates\/([^/]+\/[^/]+)$/, 'settings', 'Sjabloon teruggezet naar standaard', 'Reset a template to the default'],
  ['PUT', /^\/settings\/workflow$/, 'settings', 'Werkwijze gewijzigd', 'Changed the workflow'],
  ['PUT', /^\/settings(\/.*)?$/, 'settings', 'Instellingen gewijzigd', 'Changed the settings'],
  ['POST', /^\/settings\/(mail\/)?test(-mail)?$/, 'settings', 'Testmail verstuurd', 'Sent a test mail'],
  ['PUT', /^\/statuses$/, 'settings', 'Statustabel gewijzigd', 'Changed the status table'],
  ['PUT', /^\/segments\/([^/]+)$/, 'settings', 'Segment gewijzigd', 'Changed a segment'],
  ['DELETE', /^\/segments\/([^/]+)$/, 'settings', 'Segment verwijderd', 'Deleted a segment'],
  ['PATCH', /^$/, 'settings', 'Gegevens van de administratie gewijzigd', "Changed the administration's details"],
  ['POST', /^\/users$/, 'user', 'Gebruiker uitgenodigd', 'Invited a user'],
  ['PATCH', /^\/users\/(\d+)$/, 'user', 'Rol van gebruiker gewijzigd', "Changed a user's role"],
  ['DELETE', /^\/users\/(\d+)$/, 'user', 'Toegang van gebruiker ingetrokken', "Removed a user's access"],
  ['DELETE', /^\/users\/invitations\/(\d+)$/, 'user', 'Uitnodiging ingetrokken', 'Revoked an invitation'],
  ['POST', /^\/tokens$/, 'token', 'API-sleutel aangemaakt', 'Created an API token'],
  ['DELETE', /^\/tokens\/(\d+)$/, 'token', 'API-sleutel ingetrokken', 'Revoked an API token'],
  ['GET', /^\/audit$/, 'export', 'Auditlog geëxporteerd', 'Exported the audit log'],
  ['GET', /^\/(debtors|items)\/export$/, 'export', 'Lijst geëxporteerd', 'Exported a list'],
  ['GET', /^\/exports\/.*$/, 'export', 'Gegevens geëxporteerd', 'Exported data'],
  ['GET', /^\/debtors\/(\d+)\/statement\.pdf$/, 'debtor', 'Rekeningoverzicht (PDF) bekeken', 'Viewed a statement of account (PDF)'],
  ['GET', /^\/(documents|dunning\/actions)\/(\d+)(\/letter)?$/, 'export', 'Document geopend', 'Opened a document'],
  ['GET', /^\/payment-plans\/(\d+)\/letter$/, 'plan', 'Bevestigingsbrief geopend', 'Opened a confirmation letter'],
];

const REFUSED: Record<AuditLang, string> = { nl: 'geweigerd', en: 'refused' };
const OTHER: Record<AuditLang, string> = { nl: 'Verzoek', en: 'Request' };

/** What a logged request did, in words; the subject it concerns (with its id when the path names one). */
export function describeAudit(row: { method: string | null; path: string | null; status: number | null; action?: string }, lang: AuditLang): AuditWords {
  const method = (row.method ?? '').toUpperCase();
  const rest = (row.path ?? '').replace(/^\/api\/administrations\/[^/]+/, '');
  const refused = row.status !== null && row.status >= 400 ? ` (${REFUSED[lang]}, ${row.status})` : '';
  for (const [m, re, kind, nl, en] of RULES) {
    if (m !== method) continue;
    const hit = re.exec(rest);
    if (!hit) continue;
    const id = kind === 'export' ? null : hit[1] !== undefined && /^\d+$/.test(hit[1]) ? hit[1] : null;
    return { what: `${lang === 'nl' ? nl : en}${refused}`, subject: { kind, id } };
  }
  return { what: `${OTHER[lang]}: ${method} ${rest || '/'}${refused}`, subject: null };
}

/** The subjects a person can filter the log on, as SQL regular expressions on the logged path. */
export const AUDIT_SUBJECT_PATHS: Readonly<Record<'debtors' | 'items' | 'bank' | 'agreements' | 'dunning' | 'settings' | 'users' | 'exports', string>> = {
  debtors: '^/api/administrations/[0-9]+/(debtors|timeline)(/|$)',
  items: '^/api/administrations/[0-9]+/items(/|$)',
  bank: '^/api/administrations/[0-9]+/(bank-lines|statements)(/|$)',
  agreements: '^/api/administrations/[0-9]+/(tasks|promises|disputes|payment-plans|care)(/|$)',
  dunning: '^/api/administrations/[0-9]+/(dunning/runs|outbox)(/|$)',
  settings: '^/api/administrations/[0-9]+(/(settings|templates|dunning/policies|statuses|segments|dispute-reasons)(/|$)|$)',
  users: '^/api/administrations/[0-9]+/(users|tokens)(/|$)',
  exports: '(/export|/exports/|/audit$|/documents/|/letter$|statement\\.pdf$)',
};
export type AuditSubjectFilter = keyof typeof AUDIT_SUBJECT_PATHS;
