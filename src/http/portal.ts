/**
 * The debtor portal at /p/{token}: server-rendered HTML, no script (fast on a phone, works
 * without JavaScript), landmarks, labels, keyboard-usable native controls. GET only shows (mail
 * scanners open every link); every change is a POST carrying the link's CSRF token. Every request
 * is counted per source (the throttles table, shared by every server process). An unknown,
 * expired or revoked token gets one neutral page that offers to mail a fresh link to the address
 * on file — it never says whether the token existed. Mollie's webhook: POST /hooks/mollie/{adminId}.
 */
import type { Context, Hono } from 'hono';
import type { Db } from '../store/db.ts';
import { hitWindow } from '../store/throttles.ts';
import { getDocument } from '../store/documents.ts';
import { formatMoney } from '../domain/money.ts';
import { epcQrPayload } from '../domain/epc-qr.ts';
import { isValidBetalingskenmerk, isValidRf } from '../domain/references.ts';
import { AppError } from '../app/errors.ts';
import { resolvePublicUrl, type Listen } from '../app/links.ts';
import { statementPdf } from '../app/statements.ts';
import {
  checkCsrf, confirmEmailChange, ensurePortalReasons, mailFreshLink, mollieKeyOf, portalChangeEmail, portalDispute, portalMessage, portalPlan, portalPromise,
  portalView, recordOpened, reportPaid, resolvePortal, MAX_ATTACHMENT_BYTES, type Attachment, type PortalSession, type PortalView,
} from '../app/portal.ts';
import { startPayment, syncMolliePayment } from '../app/psp.ts';
import { clientIp } from './auth.ts';
import QRCode from 'qrcode';

export type PortalDeps = { db: Db; today: () => string; publicUrl?: string; listen?: Listen; trustProxy: boolean; perMinute?: number; mollieApiEndpoint?: string };
type Lang = 'nl' | 'en';

const T = {
  nl: {
    title: 'Uw openstaande posten', skip: 'Naar de inhoud', lang: 'English', langCode: 'en', open: 'Openstaand', invoice: 'Factuur', due: 'Vervaldatum', issued: 'Factuurdatum', amount: 'Bedrag open',
    disputed: 'in geschil', pdf: 'Factuur (PDF)', statement: 'Rekeningoverzicht (PDF)', credits: 'Tegoeden', total: 'Totaal open', none: 'Er staat niets open. Dank u wel!',
    forAll: 'Voor alles', forItem: 'Voor deze factuur', pay: 'Betalen', paid: 'Ik heb al betaald', dispute: 'Betwisten', promise: 'Betaalbelofte', plan: 'Regeling voorstellen', message: 'Bericht sturen', email: 'E-mailadres wijzigen',
    back: 'Terug naar het overzicht', send: 'Versturen', paidOn: 'Datum van betaling', proof: 'Bewijs (PDF, PNG of JPEG, optioneel)', note: 'Toelichting (optioneel)', reason: 'Reden', text: 'Uw toelichting', attachment: 'Bijlage (PDF, PNG of JPEG, optioneel)',
    promiseDate: 'Ik betaal uiterlijk op', latest: 'uiterlijk', count: 'Aantal maandelijkse termijnen', newEmail: 'Nieuw e-mailadres', messageText: 'Uw bericht', items: 'Facturen', allOpen: 'Alle openstaande facturen',
    payIntro: 'U betaalt het bedrag dat nu openstaat. U gaat naar de betaalpagina van Mollie (iDEAL, Bancontact, kaart …).', payGo: 'Naar betalen', payContinue: 'Doorgaan naar betalen',
    transfer: 'Betalen per overboeking', iban: 'IBAN', beneficiary: 'Ten name van', reference: 'Betalingskenmerk', scan: 'Scan met uw bank-app',
    done: { paid: 'Dank u. We controleren uw betaling; tot die tijd sturen we geen herinnering.', dispute: 'Uw bezwaar is ontvangen. Voor deze facturen sturen we geen herinneringen zolang we het bekijken.', promise: 'Dank u. Uw betaalbelofte is vastgelegd.', plan: 'Uw betalingsregeling is vastgelegd. U ontvangt het schema per post of e-mail.', plan_review: 'Uw voorstel is ontvangen. Een medewerker neemt contact met u op.', message: 'Uw bericht is ontvangen.', email: 'We hebben een bevestigingslink naar het nieuwe adres gestuurd.', returned: 'Dank u. Zodra de betaling bevestigd is, verwerken we hem.' } as Record<string, string>,
    neutralTitle: 'Deze link werkt niet (meer)', neutral: 'Deze link is verlopen, ingetrokken of onbekend. Wij kunnen een nieuwe link sturen naar het e-mailadres dat bij ons bekend is.', fresh: 'Stuur mij een nieuwe link', freshSent: 'Als deze link bij ons bekend was, is er een nieuwe link gestuurd naar het e-mailadres dat wij van u hebben.',
    error: 'Er ging iets mis', tooMany: 'Te veel verzoeken. Probeer het over een minuut opnieuw.', confirmTitle: 'E-mailadres bevestigen', confirm: 'Bevestigen', confirmed: 'Uw e-mailadres is bevestigd. Dank u.', confirmBad: 'Deze bevestigingslink is ongeldig, verlopen of al gebruikt.',
    forbidden: 'Dit formulier hoort niet bij deze pagina. Open de link opnieuw.', instalments: (n: number) => `maximaal ${n} termijnen direct geaccepteerd`, nothingToPay: 'Online betalen is niet mogelijk; gebruik de overboeking hieronder.',
  },
  en: {
    title: 'Your open items', skip: 'Skip to content', lang: 'Nederlands', langCode: 'nl', open: 'Open', invoice: 'Invoice', due: 'Due date', issued: 'Invoice date', amount: 'Amount open',
    disputed: 'disputed', pdf: 'Invoice (PDF)', statement: 'Statement of account (PDF)', credits: 'Credits', total: 'Total open', none: 'Nothing is open. Thank you!',
    forAll: 'For everything', forItem: 'For this invoice', pay: 'Pay', paid: 'I have already paid', dispute: 'Dispute', promise: 'Promise to pay', plan: 'Propose a payment plan', message: 'Send a message', email: 'Change e-mail address',
    back: 'Back to the overview', send: 'Send', paidOn: 'Date paid', proof: 'Proof (PDF, PNG or JPEG, optional)', note: 'Note (optional)', reason: 'Reason', text: 'Your explanation', attachment: 'Attachment (PDF, PNG or JPEG, optional)',
    promiseDate: 'I will pay by', latest: 'at the latest', count: 'Number of monthly instalments', newEmail: 'New e-mail address', messageText: 'Your message', items: 'Invoices', allOpen: 'All open invoices',
    payIntro: 'You pay the amount open right now, on Mollie\'s payment page (iDEAL, Bancontact, card …).', payGo: 'Go to payment', payContinue: 'Continue to payment',
    transfer: 'Pay by bank transfer', iban: 'IBAN', beneficiary: 'Beneficiary', reference: 'Payment reference', scan: 'Scan with your banking app',
    done: { paid: 'Thank you. We will check your payment; until then we send no reminder.', dispute: 'Your dispute has been received. We send no reminders for these invoices while we look into it.', promise: 'Thank you. Your promise to pay has been recorded.', plan: 'Your payment plan has been made. You will receive the schedule.', plan_review: 'Your proposal has been received. Someone will contact you.', message: 'Your message has been received.', email: 'We sent a confirmation link to the new address.', returned: 'Thank you. As soon as the payment is confirmed we process it.' } as Record<string, string>,
    neutralTitle: 'This link does not work (any more)', neutral: 'This link has expired, was revoked or is unknown. We can send a new link to the e-mail address we have on file.', fresh: 'Send me a new link', freshSent: 'If this link was known to us, a new link has been sent to the e-mail address we have on file.',
    error: 'Something went wrong', tooMany: 'Too many requests. Try again in a minute.', confirmTitle: 'Confirm e-mail address', confirm: 'Confirm', confirmed: 'Your e-mail address has been confirmed. Thank you.', confirmBad: 'This confirmation link is invalid, expired or used already.',
    forbidden: 'This form does not belong to this page. Open the link again.', instalments: (n: number) => `up to ${n} instalments accepted at once`, nothingToPay: 'Online payment is not available; use the bank transfer below.',
  },
};
type Texts = (typeof T)['nl'];

const esc = (v: unknown) => String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const CSS = `*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1c1f24;background:#f6f7f9}
a{color:#0b57d0}a:focus,button:focus,input:focus,select:focus,textarea:focus{outline:3px solid #f59f00;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:8px;z-index:2}
header,main,footer{max-width:52rem;margin:0 auto;padding:12px 16px}header{display:flex;justify-content:space-between;align-items:center;gap:8px;flex-wrap:wrap}
h1{font-size:1.4rem;margin:.2rem 0}h2{font-size:1.15rem;margin:1.2rem 0 .4rem}.card{background:#fff;border:1px solid #dde1e6;border-radius:8px;padding:12px 14px;margin:10px 0}
ul.items{list-style:none;padding:0;margin:0}ul.items>li{background:#fff;border:1px solid #dde1e6;border-radius:8px;padding:12px 14px;margin:10px 0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:6px 0}dt{color:#5c6670}dd{margin:0}.amt{font-weight:700;font-variant-numeric:tabular-nums}
.actions{display:flex;flex-wrap:wrap;gap:8px;margin-top:8px;padding:0;list-style:none}.actions a,button{display:inline-block;min-height:44px;padding:10px 14px;border-radius:6px;border:1px solid #0b57d0;background:#fff;color:#0b57d0;text-decoration:none;font:inherit;cursor:pointer}
button.primary,.actions a.primary{background:#0b57d0;color:#fff}label{display:block;font-weight:600;margin:10px 0 4px}input,select,textarea{font:inherit;width:100%;max-width:28rem;min-height:44px;padding:8px;border:1px solid #8a939c;border-radius:6px}
input[type=checkbox]{width:auto;min-height:auto;margin-right:8px}fieldset{border:1px solid #dde1e6;border-radius:6px;margin:10px 0}fieldset label{font-weight:400;display:flex;align-items:center}
.notice{background:#e6f4ea;border:1px solid #34a853;border-radius:8px;padding:10px 14px}.alert{background:#fdecea;border:1px solid #d93025;border-radius:8px;padding:10px 14px}.tag{background:#fff4e5;border-radius:4px;padding:0 6px;font-size:.85rem}
.qr{width:160px;height:160px}footer{color:#5c6670;font-size:.85rem}`;

function page(lang: Lang, title: string, body: string, opts: { adminName?: string; switchHref?: string; refresh?: string } = {}): string {
  const t = T[lang];
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">` +
    (opts.refresh ? `<meta http-equiv="refresh" content="0;url=${esc(opts.refresh)}">` : '') +
    `<title>${esc(title)}${opts.adminName ? ` · ${esc(opts.adminName)}` : ''}</title><style>${CSS}</style></head><body>` +
    `<a class="skip" href="#main">${t.skip}</a><header><div><strong>${esc(opts.adminName ?? 'Vorder')}</strong></div>` +
    (opts.switchHref ? `<nav aria-label="${lang === 'nl' ? 'Taal' : 'Language'}"><a href="${esc(opts.switchHref)}" hreflang="${t.langCode}" lang="${t.langCode}">${t.lang}</a></nav>` : '') +
    `</header><main id="main" tabindex="-1">${body}</main><footer>Vorder</footer></body></html>`;
}

const ACTIONS = ['pay', 'paid', 'dispute', 'promise', 'plan', 'message', 'email'] as const;
type Action = (typeof ACTIONS)[number];

export function registerPortal(app: Hono<any, any, any>, deps: PortalDeps): void {
  const { db } = deps;
  const limit = deps.perMinute ?? 120;
  const baseUrl = async () => (await resolvePublicUrl(db, { configured: deps.publicUrl, listen: deps.listen })).url;
  const langOf = (c: Context, s: PortalSession | null): Lang => {
    const q = c.req.query('lang');
    return q === 'en' || q === 'nl' ? q : s?.debtor.language === 'en' ? 'en' : 'nl';
  };
  const html = (c: Context, body: string, status = 200) => {
    c.header('cache-control', 'no-store');
    c.header('x-robots-tag', 'noindex');
    return c.html(body, status as 200);
  };
  const neutral = (c: Context, lang: Lang, token: string, sent = false) => {
    const t = T[lang];
    const body = `<h1>${t.neutralTitle}</h1>` + (sent ? `<p class="notice" role="status">${t.freshSent}</p>` :
      `<p>${t.neutral}</p><form method="post" action="/p/${esc(token)}/fresh?lang=${lang}"><button class="primary" type="submit">${t.fresh}</button></form>`);
    return html(c, page(lang, t.neutralTitle, body, { switchHref: `/p/${esc(token)}?lang=${t.langCode}` }), sent ? 200 : 404);
  };

  // every portal request counts against its source, in the database (every process shares it)
  const throttle = async (c: Context): Promise<Response | null> => {
    const ip = clientIp(c, deps.trustProxy);
    const w = await hitWindow(db, 'portal', ip, 60);
    if (w.count <= limit) return null;
    c.header('retry-after', String(w.retryAfterSeconds));
    const lang: Lang = c.req.query('lang') === 'en' ? 'en' : 'nl';
    return html(c, page(lang, T[lang].error, `<h1>${T[lang].error}</h1><p role="alert" class="alert">${T[lang].tooMany}</p>`), 429);
  };
  app.use('/p/*', async (c, next) => (await throttle(c)) ?? next());
  app.use('/hooks/*', async (c, next) => (await throttle(c)) ?? next());

  // ---- e-mail confirmation: GET shows a button, the POST confirms (scanners only GET)
  app.get('/p/confirm-email/:ctoken', (c) => {
    const lang: Lang = c.req.query('lang') === 'en' ? 'en' : 'nl';
    const t = T[lang];
    return html(c, page(lang, t.confirmTitle, `<h1>${t.confirmTitle}</h1><form method="post"><button class="primary" type="submit">${t.confirm}</button></form>`));
  });
  app.post('/p/confirm-email/:ctoken', async (c) => {
    const lang: Lang = c.req.query('lang') === 'en' ? 'en' : 'nl';
    const t = T[lang];
    const ok = await confirmEmailChange(db, c.req.param('ctoken'));
    return html(c, page(lang, t.confirmTitle, `<h1>${t.confirmTitle}</h1><p role="${ok ? 'status' : 'alert'}" class="${ok ? 'notice' : 'alert'}">${ok ? t.confirmed : t.confirmBad}</p>`), ok ? 200 : 400);
  });

  // ---- the overview
  app.get('/p/:token', async (c) => {
    const token = c.req.param('token');
    const s = await resolvePortal(db, token);
    const lang = langOf(c, s);
    if (!s) return neutral(c, lang, token);
    await recordOpened(db, s);
    await ensurePortalReasons(db, s);
    const v = await portalView(db, s, deps.today());
    return html(c, page(lang, T[lang].title, await overview(s, v, lang, token, c.req.query('done') ?? null), { adminName: s.admin.name, switchHref: `/p/${token}?lang=${T[lang].langCode}` }));
  });

  // ---- documents: the statement of account and the invoices' own PDFs
  app.get('/p/:token/statement.pdf', async (c) => {
    const s = await resolvePortal(db, c.req.param('token'));
    if (!s) return neutral(c, langOf(c, null), c.req.param('token'));
    const pdf = await statementPdf(db, s.admin, s.debtor.id, { date: deps.today() });
    return new Response(Buffer.from(pdf.content), { headers: { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="${pdf.filename}"`, 'cache-control': 'no-store' } });
  });
  app.get('/p/:token/items/:itemId/document', async (c) => {
    const s = await resolvePortal(db, c.req.param('token'));
    if (!s) return neutral(c, langOf(c, null), c.req.param('token'));
    const id = /^[1-9]\d{0,14}$/.test(c.req.param('itemId')) ? Number(c.req.param('itemId')) : 0;
    const [it] = await db.query<{ document_id: number | null }>('SELECT document_id FROM items WHERE administration_id = $1 AND debtor_id = $2 AND id = $3', [s.admin.id, s.debtor.id, id]);
    const doc = it?.document_id ? await getDocument(db, s.admin.id, it.document_id) : null;
    if (!doc) return c.text('not found', 404);
    return new Response(Buffer.from(doc.content), { headers: { 'content-type': doc.contentType, 'content-disposition': `inline; filename="${doc.filename.replace(/[^\w.-]/g, '_')}"`, 'cache-control': 'no-store' } });
  });

  // ---- the back from Mollie's checkout: look the payment up at once (the webhook may be later)
  app.get('/p/:token/returned', async (c) => {
    const token = c.req.param('token');
    const s = await resolvePortal(db, token);
    const lang = langOf(c, s);
    if (!s) return neutral(c, lang, token);
    const [last] = await db.query<{ payment_id: string }>('SELECT payment_id FROM psp_payments WHERE administration_id = $1 AND link_id = $2 ORDER BY id DESC LIMIT 1', [s.admin.id, s.link.id]);
    if (last) {
      try {
        await syncMolliePayment(db, s.admin.id, last.payment_id, { apiEndpoint: deps.mollieApiEndpoint, today: deps.today() });
      } catch (e) {
        console.error(`mollie lookup after return failed: ${(e as Error).message}`);
      }
    }
    return c.redirect(`/p/${token}?lang=${lang}&done=returned`, 303);
  });

  // ---- the form of one action (GET shows it, nothing changes)
  app.get('/p/:token/:action', async (c) => {
    const token = c.req.param('token');
    const action = c.req.param('action') as Action;
    const s = await resolvePortal(db, token);
    const lang = langOf(c, s);
    if (!s) return neutral(c, lang, token);
    if (!ACTIONS.includes(action)) return c.redirect(`/p/${token}?lang=${lang}`, 303);
    await ensurePortalReasons(db, s);
    const v = await portalView(db, s, deps.today());
    const selected = c.req.queries('item')?.map(Number).filter((n) => Number.isSafeInteger(n)) ?? [];
    return html(c, page(lang, T[lang][action], await actionForm(s, v, lang, token, action, selected, null, deps.today()), { adminName: s.admin.name, switchHref: `/p/${token}/${action}?lang=${T[lang].langCode}${selected.map((i) => `&item=${i}`).join('')}` }));
  });

  // ---- a fresh link for an unknown or expired one: always the same answer
  app.post('/p/:token/fresh', async (c) => {
    const token = c.req.param('token');
    const lang: Lang = c.req.query('lang') === 'en' ? 'en' : 'nl';
    try {
      await mailFreshLink(db, token, { baseUrl: await baseUrl() });
    } catch (e) {
      console.error(`portal: fresh link not mailed: ${(e as Error).message}`);
    }
    return neutral(c, lang, token, true);
  });

  // ---- an action
  app.post('/p/:token/:action', async (c) => {
    const token = c.req.param('token');
    const action = c.req.param('action') as Action;
    const s = await resolvePortal(db, token);
    const lang = langOf(c, s);
    if (!s) return neutral(c, lang, token);
    if (!ACTIONS.includes(action)) return c.text('not found', 404);
    if (Number(c.req.header('content-length') ?? 0) > MAX_ATTACHMENT_BYTES * 2 + 100_000) return html(c, page(lang, T[lang].error, `<p class="alert" role="alert">${T[lang].error}: &gt; 10 MB</p>`), 413);
    let form: Record<string, string | File | (string | File)[]>;
    try {
      form = await c.req.parseBody({ all: true });
    } catch {
      return html(c, page(lang, T[lang].error, `<p class="alert" role="alert">${T[lang].error}</p>`), 400);
    }
    const one = (k: string): string => {
      const v = form[k];
      const x = Array.isArray(v) ? v[0] : v;
      return typeof x === 'string' ? x : '';
    };
    const file = async (k: string): Promise<Attachment | null> => {
      const v = form[k];
      const f = Array.isArray(v) ? v[0] : v;
      if (!f || typeof f === 'string' || f.size === 0) return null;
      return { filename: f.name, contentType: f.type, content: new Uint8Array(await f.arrayBuffer()) };
    };
    const raw = form.item === undefined ? [] : Array.isArray(form.item) ? form.item : [form.item];
    const itemIds = raw.filter((x): x is string => typeof x === 'string' && /^[1-9]\d{0,14}$/.test(x)).map(Number);
    try {
      checkCsrf(s, one('csrf'));
    } catch {
      return html(c, page(lang, T[lang].error, `<h1>${T[lang].error}</h1><p class="alert" role="alert">${T[lang].forbidden}</p><p><a href="/p/${esc(token)}?lang=${lang}">${T[lang].back}</a></p>`, { adminName: s.admin.name }), 403);
    }
    const today = deps.today();
    try {
      let done: string = action;
      if (action === 'pay') {
        const base = await baseUrl();
        if (!base) throw new AppError('not_configured', 'no public URL');
        const started = await startPayment(db, s, itemIds, { baseUrl: base, token, apiEndpoint: deps.mollieApiEndpoint });
        const t = T[lang];
        // a page of our own that moves on to the checkout (a form may only post to this site)
        return html(c, page(lang, t.pay, `<h1>${t.pay}: ${esc(formatMoney(started.amountCents, 'EUR', lang))}</h1><p><a class="primary" href="${esc(started.checkoutUrl)}">${t.payContinue}</a></p>`, { adminName: s.admin.name, refresh: started.checkoutUrl }));
      }
      if (action === 'paid') await reportPaid(db, s, { itemIds, paidOn: one('paidOn'), note: one('note'), proof: await file('proof') }, today);
      else if (action === 'dispute') await portalDispute(db, s, { itemIds, reason: one('reason'), text: one('text'), attachment: await file('attachment') }, today);
      else if (action === 'promise') await portalPromise(db, s, { itemIds, date: one('date') }, today);
      else if (action === 'plan') done = (await portalPlan(db, s, { itemIds, count: Number(one('count')), note: one('note') }, today)).accepted ? 'plan' : 'plan_review';
      else if (action === 'message') await portalMessage(db, s, { text: one('text'), attachment: await file('attachment') }, today);
      else if (action === 'email') await portalChangeEmail(db, s, { email: one('email') }, { baseUrl: await baseUrl() });
      return c.redirect(`/p/${token}?lang=${lang}&done=${done}`, 303);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      const v = await portalView(db, s, today);
      const message = e.problems.length ? e.problems.map((p) => `${p.field ? `${p.field}: ` : ''}${p.message}`).join('; ') : e.message;
      return html(c, page(lang, T[lang][action], await actionForm(s, v, lang, token, action, itemIds, message, today, Object.fromEntries(Object.keys(form).map((k) => [k, one(k)]))), { adminName: s.admin.name }), e.code === 'not_configured' ? 503 : e.code === 'conflict' ? 409 : 400);
    }
  });

  // ---- Mollie's webhook: `id=tr_…` says a payment changed; Vorder asks Mollie what it is now
  app.post('/hooks/mollie/:adminId', async (c) => {
    const adminId = /^[1-9]\d{0,14}$/.test(c.req.param('adminId')) ? Number(c.req.param('adminId')) : null;
    let id = '';
    try {
      const body = await c.req.parseBody();
      id = typeof body.id === 'string' ? body.id : '';
    } catch {
      id = '';
    }
    if (adminId === null) return c.text('', 404);
    try {
      const r = await syncMolliePayment(db, adminId, id, { apiEndpoint: deps.mollieApiEndpoint, today: deps.today() });
      // an id this administration never made: nothing booked, and nothing said (Mollie wants a 2xx or it retries)
      return c.text('', r.outcome === 'unknown' ? 200 : 200);
    } catch (e) {
      console.error(`mollie webhook for administration ${adminId} failed: ${(e as Error).message}`);
      // Mollie retries later on a non-2xx
      return c.text('', 503);
    }
  });
}

// ------------------------------------------------------------------ pieces of pages

const itemQuery = (ids: readonly number[]) => ids.map((i) => `&item=${i}`).join('');

async function transferBlock(s: PortalSession, v: PortalView, lang: Lang): Promise<string> {
  const t = T[lang];
  const a = s.admin;
  if (!a.iban) return '';
  const refs = v.items.map((i) => i.paymentReference).filter((r): r is string => !!r);
  const reference = v.items.length === 1 && refs[0] && (isValidBetalingskenmerk(refs[0]) || isValidRf(refs[0])) ? refs[0] : `${s.debtor.number} ${v.items.map((i) => i.number).slice(0, 4).join(' ')}`.slice(0, 35);
  const cents = v.openCents + v.creditCents;
  let qr = '';
  if (cents > 0 && v.items.every((i) => i.currency === 'EUR')) {
    try {
      const payload = epcQrPayload({ name: (a.legalName ?? a.name).slice(0, 70), iban: a.iban, ...(a.bic ? { bic: a.bic } : {}), cents, ...(isValidRf(reference) ? { structuredRef: reference } : { text: reference }) });
      qr = `<img class="qr" alt="${esc(t.scan)}" src="${await QRCode.toDataURL(payload, { errorCorrectionLevel: 'M', margin: 2, width: 320 })}">`;
    } catch {
      qr = '';
    }
  }
  return `<section class="card" aria-labelledby="transfer"><h2 id="transfer">${t.transfer}</h2><dl><dt>${t.amount}</dt><dd class="amt">${esc(formatMoney(cents, 'EUR', lang))}</dd><dt>${t.iban}</dt><dd>${esc(a.iban.replace(/(.{4})/g, '$1 ').trim())}</dd><dt>${t.beneficiary}</dt><dd>${esc(a.legalName ?? a.name)}</dd><dt>${t.reference}</dt><dd>${esc(reference)}</dd></dl>${qr ? `<figure>${qr}<figcaption>${t.scan}</figcaption></figure>` : ''}</section>`;
}

function actionLinks(token: string, lang: Lang, ids: readonly number[], online: boolean, disputed: boolean): string {
  const t = T[lang];
  const acts: Action[] = [...(online && !disputed ? ['pay' as const] : []), 'paid', ...(disputed ? [] : ['dispute' as const]), 'promise', 'plan'];
  return `<ul class="actions">${acts.map((a, k) => `<li><a ${k === 0 && a === 'pay' ? 'class="primary" ' : ''}href="/p/${esc(token)}/${a}?lang=${lang}${itemQuery(ids)}">${t[a]}</a></li>`).join('')}</ul>`;
}

async function overview(s: PortalSession, v: PortalView, lang: Lang, token: string, done: string | null): Promise<string> {
  const t = T[lang];
  const money = (c: number, cur = 'EUR') => esc(formatMoney(c, cur, lang));
  const online = mollieKeyOf(s.admin) !== null;
  const intro = lang === 'en' ? (s.admin.settings as { portal?: { introEn?: string } }).portal?.introEn : (s.admin.settings as { portal?: { introNl?: string } }).portal?.introNl;
  const parts: string[] = [`<h1>${t.title}</h1><p>${esc(s.debtor.name)} (${esc(s.debtor.number)})</p>`];
  if (done && t.done[done]) parts.push(`<p class="notice" role="status">${esc(t.done[done])}</p>`);
  if (intro) parts.push(`<p>${esc(intro)}</p>`);
  if (!v.items.length) parts.push(`<p>${t.none}</p>`);
  else {
    parts.push(`<section aria-labelledby="total"><h2 id="total">${t.total}: <span class="amt">${money(v.openCents + v.creditCents)}</span></h2>${actionLinks(token, lang, [], online, false)}<p><a href="/p/${esc(token)}/statement.pdf">${t.statement}</a></p></section>`);
    parts.push(`<section aria-labelledby="list"><h2 id="list">${t.items}</h2><ul class="items">${v.items.map((i) => `<li aria-label="${t.invoice} ${esc(i.number)}"><strong>${t.invoice} ${esc(i.number)}</strong>${i.disputed ? ` <span class="tag">${t.disputed}</span>` : ''}<dl><dt>${t.issued}</dt><dd>${esc(i.issueDate)}</dd><dt>${t.due}</dt><dd>${esc(i.dueDate)}</dd><dt>${t.amount}</dt><dd class="amt">${money(i.openCents, i.currency)}</dd></dl>${i.documentId ? `<p><a href="/p/${esc(token)}/items/${i.id}/document">${t.pdf}</a></p>` : ''}${actionLinks(token, lang, [i.id], online, i.disputed)}</li>`).join('')}</ul></section>`);
    if (v.credits.length) parts.push(`<section aria-labelledby="credits"><h2 id="credits">${t.credits}</h2><ul class="items">${v.credits.map((i) => `<li>${esc(i.number)}: <span class="amt">${money(i.openCents, i.currency)}</span></li>`).join('')}</ul></section>`);
    if (!online) parts.push(await transferBlock(s, v, lang));
  }
  parts.push(`<ul class="actions"><li><a href="/p/${esc(token)}/message?lang=${lang}">${t.message}</a></li><li><a href="/p/${esc(token)}/email?lang=${lang}">${t.email}</a></li></ul>`);
  return parts.join('');
}

async function actionForm(s: PortalSession, v: PortalView, lang: Lang, token: string, action: Action, selected: readonly number[], error: string | null, today: string, values: Record<string, string> = {}): Promise<string> {
  const t = T[lang];
  const money = (c: number, cur = 'EUR') => esc(formatMoney(c, cur, lang));
  const chosen = new Set(selected);
  const eligible = v.items.filter((i) => !(action === 'dispute' || action === 'pay') || !i.disputed);
  const itemsField = ['message', 'email'].includes(action) ? '' :
    `<fieldset><legend>${t.items}</legend>${eligible.map((i) => `<label><input type="checkbox" name="item" value="${i.id}"${!chosen.size || chosen.has(i.id) ? ' checked' : ''}>${t.invoice} ${esc(i.number)} — ${money(i.openCents, i.currency)}</label>`).join('')}</fieldset>`;
  const val = (k: string) => esc(values[k] ?? '');
  let fields = '';
  let multipart = false;
  if (action === 'pay') {
    if (mollieKeyOf(s.admin) === null) return `<h1>${t.pay}</h1><p>${t.nothingToPay}</p>${await transferBlock(s, v, lang)}<p><a href="/p/${esc(token)}?lang=${lang}">${t.back}</a></p>`;
    fields = `<p>${t.payIntro}</p>`;
  } else if (action === 'paid') {
    multipart = true;
    fields = `<label for="paidOn">${t.paidOn}</label><input id="paidOn" name="paidOn" type="date" required max="${today}" value="${val('paidOn') || today}"><label for="proof">${t.proof}</label><input id="proof" name="proof" type="file" accept="application/pdf,image/png,image/jpeg"><label for="note">${t.note}</label><textarea id="note" name="note" rows="3" maxlength="1000">${val('note')}</textarea>`;
  } else if (action === 'dispute') {
    multipart = true;
    fields = `<label for="reason">${t.reason}</label><select id="reason" name="reason" required>${v.reasons.map((r) => `<option value="${esc(r.key)}"${values.reason === r.key ? ' selected' : ''}>${esc(r.label)}</option>`).join('')}</select><label for="text">${t.text}</label><textarea id="text" name="text" rows="4" required maxlength="2000">${val('text')}</textarea><label for="attachment">${t.attachment}</label><input id="attachment" name="attachment" type="file" accept="application/pdf,image/png,image/jpeg">`;
  } else if (action === 'promise') {
    fields = `<label for="date">${t.promiseDate} <small>(${t.latest} ${esc(v.latestPromise)})</small></label><input id="date" name="date" type="date" required min="${today}" max="${esc(v.latestPromise)}" value="${val('date')}">`;
  } else if (action === 'plan') {
    fields = `<label for="count">${t.count} <small>(${esc(t.instalments(v.maxInstalments))})</small></label><input id="count" name="count" type="number" inputmode="numeric" min="1" max="120" required value="${val('count') || Math.min(3, v.maxInstalments)}"><label for="note">${t.note}</label><textarea id="note" name="note" rows="3" maxlength="1000">${val('note')}</textarea>`;
  } else if (action === 'message') {
    multipart = true;
    fields = `<label for="text">${t.messageText}</label><textarea id="text" name="text" rows="5" required maxlength="4000">${val('text')}</textarea><label for="attachment">${t.attachment}</label><input id="attachment" name="attachment" type="file" accept="application/pdf,image/png,image/jpeg">`;
  } else if (action === 'email') {
    fields = `<label for="email">${t.newEmail}</label><input id="email" name="email" type="email" autocomplete="email" required maxlength="200" value="${val('email')}">`;
  }
  return `<h1>${t[action]}</h1>${error ? `<p class="alert" role="alert">${esc(error)}</p>` : ''}` +
    `<form method="post" action="/p/${esc(token)}/${action}?lang=${lang}"${multipart ? ' enctype="multipart/form-data"' : ''}><input type="hidden" name="csrf" value="${esc(s.link.csrfToken)}">${itemsField}${fields}<p><button class="primary" type="submit">${action === 'pay' ? t.payGo : t.send}</button></p></form>` +
    `<p><a href="/p/${esc(token)}?lang=${lang}">${t.back}</a></p>`;
}
