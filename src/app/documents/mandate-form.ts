/**
 * The printable SEPA mandate form for signing, in the Dutch standard wording of the
 * Betaalvereniging Nederland model forms: "Doorlopende machtiging" (recurring, CORE),
 * "Eenmalige machtiging" (one-off, CORE) and the business variant (B2B, no refund right). It
 * carries the creditor's name, address and creditor identifier (Incassant ID), the mandate id
 * (kenmerk machtiging) and the debtor's data as far as known, with lines to fill in and sign.
 * Uses the letters' font setup (DejaVu, documents/fonts.ts).
 */
import PDFDocument from 'pdfkit';
import type { Administration } from '../../store/administrations.ts';
import type { Debtor } from '../../store/debtors.ts';
import type { Mandate } from '../../store/mandates.ts';
import { formatIban } from '../../domain/references.ts';
import { FONT_BOLD, FONT_REGULAR, installDejaVu } from './fonts.ts';

export type MandateFormWording = { title: string; scheme: 'CORE' | 'B2B'; recurring: boolean; consent: string; refund: string };

/** The standard text (Betaalvereniging model), with the creditor's name filled in. */
export function mandateWording(creditor: string, scheme: 'CORE' | 'B2B', recurring: boolean): MandateFormWording {
  const kind = recurring ? 'doorlopende' : 'een eenmalige';
  const title = scheme === 'B2B' ? (recurring ? 'Doorlopende machtiging zakelijk' : 'Eenmalige machtiging zakelijk') : recurring ? 'Doorlopende machtiging' : 'Eenmalige machtiging';
  const consent = recurring
    ? `Door ondertekening van dit formulier geeft u toestemming aan ${creditor} om doorlopende incasso-opdrachten te sturen naar uw bank om een bedrag van uw rekening af te schrijven en aan uw bank om doorlopend een bedrag van uw rekening af te schrijven overeenkomstig de opdracht van ${creditor}.`
    : `Door ondertekening van dit formulier geeft u toestemming aan ${creditor} om ${kind} incasso-opdracht te sturen naar uw bank om een bedrag van uw rekening af te schrijven en aan uw bank om eenmalig een bedrag van uw rekening af te schrijven overeenkomstig de opdracht van ${creditor}.`;
  const refund = scheme === 'B2B'
    ? 'Deze machtiging is uitsluitend bedoeld voor incasso-opdrachten tussen bedrijven. U heeft geen recht op terugboeking van de afschrijving na uitvoering. U kunt uw bank wel tot en met de dag van afschrijving vragen de incasso niet uit te voeren. Registreer deze machtiging bij uw bank: uw bank controleert iedere afschrijving aan de hand daarvan.'
    : 'Als u het niet eens bent met deze afschrijving kunt u deze laten terugboeken. Neem hiervoor binnen 8 weken na afschrijving contact op met uw bank. Vraag uw bank naar de voorwaarden.';
  return { title, scheme, recurring, consent, refund };
}

export type MandateFormInput = { admin: Administration; mandate: Pick<Mandate, 'mandateId' | 'scheme' | 'recurring' | 'iban' | 'bic'> | null; debtor: Pick<Debtor, 'name' | 'addressLine' | 'postalCode' | 'city' | 'country'>; scheme?: 'CORE' | 'B2B'; recurring?: boolean; reason?: string | null; date: string };

export async function mandateFormPdf(input: MandateFormInput): Promise<Buffer> {
  const { admin, mandate, debtor } = input;
  const creditor = admin.legalName ?? admin.name;
  const scheme = mandate?.scheme ?? input.scheme ?? 'CORE';
  const recurring = mandate?.recurring ?? input.recurring ?? true;
  const w = mandateWording(creditor, scheme, recurring);
  const doc = new PDFDocument({ size: 'A4', margins: { top: 56, left: 56, right: 56, bottom: 56 }, font: null as unknown as string, lang: 'nl-NL', info: { Title: `${w.title} ${mandate?.mandateId ?? ''}`.trim(), Author: creditor, Creator: 'Vorder', Producer: 'Vorder', CreationDate: new Date(`${input.date}T00:00:00Z`) } });
  installDejaVu(doc);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 112;
  const row = (label: string, value: string | null) => {
    const y = doc.y;
    doc.font(FONT_REGULAR).fontSize(10).fillColor('#333').text(label, 56, y, { width: 170 });
    const vx = 230;
    if (value) doc.font(FONT_BOLD).fontSize(10).fillColor('#000').text(value, vx, y, { width: width - 174 });
    else doc.moveTo(vx, y + 11).lineTo(56 + width, y + 11).lineWidth(0.5).strokeColor('#888').stroke();
    doc.x = 56;
    doc.y = Math.max(doc.y, y + 20);
  };
  doc.font(FONT_BOLD).fontSize(20).fillColor('#000').text('SEPA', { continued: true }).text(`  ${w.title}`);
  doc.moveDown(0.8);
  doc.font(FONT_BOLD).fontSize(11).text('Gegevens incassant');
  doc.moveDown(0.3);
  row('Naam incassant', creditor);
  row('Adres', admin.addressLine);
  row('Postcode en woonplaats', [admin.postalCode, admin.city].filter(Boolean).join('  ') || null);
  row('Land', admin.country === 'NL' ? 'Nederland' : admin.country);
  row('Incassant ID', admin.creditorId);
  row('Kenmerk machtiging', mandate?.mandateId ?? null);
  row('Reden betaling', input.reason ?? null);
  doc.moveDown(0.6);
  doc.font(FONT_REGULAR).fontSize(10).fillColor('#000').text(w.consent, { width, align: 'left' });
  doc.moveDown(0.5);
  doc.text(w.refund, { width });
  doc.moveDown(0.8);
  doc.font(FONT_BOLD).fontSize(11).text('Gegevens debiteur');
  doc.moveDown(0.3);
  row('Naam', debtor.name);
  row('Adres', debtor.addressLine);
  row('Postcode en woonplaats', [debtor.postalCode, debtor.city].filter(Boolean).join('  ') || null);
  row('Land', debtor.country ? (debtor.country === 'NL' ? 'Nederland' : debtor.country) : null);
  row('Rekeningnummer [IBAN]', mandate ? formatIban(mandate.iban) : null);
  row('Bank Identificatie [BIC]*', mandate?.bic ?? null);
  row('Plaats en datum', null);
  doc.moveDown(0.4);
  row('Handtekening', null);
  doc.moveDown(1.5);
  doc.font(FONT_REGULAR).fontSize(8).fillColor('#555').text('* Geen verplicht veld bij Nederlandse rekeningnummers.', { width });
  doc.text(`Model van de Betaalvereniging Nederland. Stuur het ondertekende formulier terug naar ${creditor}.`, { width });
  doc.end();
  return done;
}
