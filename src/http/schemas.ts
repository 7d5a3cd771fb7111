/** JSON shapes of the HTTP API (OpenAPI 3.1 components) and the mappers from domain objects. */
import { z } from '@hono/zod-openapi';
import { formatCents } from '../domain/money.ts';
import { isIsoDate } from '../domain/dates.ts';
import type { Item } from '../store/items.ts';
import type { Debtor, DebtorWithBalance } from '../store/debtors.ts';
import type { Administration } from '../store/administrations.ts';
import type { TimelineEvent } from '../store/events.ts';

export const Amount = z.string().regex(/^-?\d{1,13}(\.\d{1,2})?$/, 'an amount like "121.00"').openapi({ example: '121.00', description: 'Decimal amount in major units, as a string (never a float)' });
/** A calendar date that exists (not 2026-02-30, not 9999-99-99), year 1 to 9999. */
export const IsoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date like 2026-11-22')
  .refine((s) => isIsoDate(s) && s >= '0001-01-01', 'no such date (a date like 2026-11-22)')
  .openapi({ example: '2026-11-22' });

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'validation' }),
      message: z.string(),
      problems: z.array(z.object({ line: z.number().int().optional(), field: z.string().optional(), code: z.string(), message: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])).optional() })),
    }),
  })
  .openapi('Error');

export const AdministrationSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    legalName: z.string().nullable(),
    iban: z.string().nullable(),
    bic: z.string().nullable(),
    addressLine: z.string().nullable(),
    postalCode: z.string().nullable(),
    city: z.string().nullable(),
    country: z.string(),
    kvk: z.string().nullable(),
    vatNumber: z.string().nullable(),
    creditorId: z.string().nullable(),
    email: z.string().nullable(),
    language: z.enum(['nl', 'en']),
    referenceKind: z.enum(['cur', 'rf']),
    createdAt: z.string(),
  })
  .openapi('Administration');

export const AdministrationInputSchema = z
  .object({
    name: z.string().min(1).max(200),
    legalName: z.string().max(200).nullable(),
    iban: z.string().max(40).nullable(),
    bic: z.string().max(11).nullable(),
    addressLine: z.string().max(200).nullable(),
    postalCode: z.string().max(20).nullable(),
    city: z.string().max(100).nullable(),
    country: z.string().length(2),
    kvk: z.string().max(20).nullable(),
    vatNumber: z.string().max(20).nullable(),
    creditorId: z.string().max(35).nullable(),
    email: z.string().email().max(200).nullable(),
    language: z.enum(['nl', 'en']),
    referenceKind: z.enum(['cur', 'rf']),
  })
  .partial()
  .openapi('AdministrationInput');

export const DebtorSchema = z
  .object({
    id: z.number().int(),
    number: z.string(),
    name: z.string(),
    type: z.enum(['business', 'consumer']),
    kvk: z.string().nullable(),
    vatNumber: z.string().nullable(),
    emails: z.array(z.string()),
    phone: z.string().nullable(),
    addressLine: z.string().nullable(),
    postalCode: z.string().nullable(),
    city: z.string().nullable(),
    country: z.string().nullable(),
    language: z.enum(['nl', 'en']),
    paymentTermDays: z.number().int().nullable(),
    creditLimit: Amount.nullable(),
    status: z.string(),
    segment: z.string().nullable(),
    onHold: z.boolean(),
    holdReason: z.string().nullable(),
    ibans: z.array(z.string()),
    balance: Amount.optional(),
    overdue: Amount.optional(),
    openItems: z.number().int().optional(),
    pausedReason: z.string().nullable().optional().openapi({ description: 'in lists: why the chase is paused (hold, status, plan, promise, disputed items)' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Debtor');

export const DebtorInputSchema = z
  .object({
    number: z.string().min(1).max(50),
    name: z.string().min(1).max(200),
    type: z.enum(['business', 'consumer']),
    kvk: z.string().max(20).nullable(),
    vatNumber: z.string().max(20).nullable(),
    emails: z.array(z.string().max(200)).max(10),
    phone: z.string().max(40).nullable(),
    addressLine: z.string().max(200).nullable(),
    postalCode: z.string().max(20).nullable(),
    city: z.string().max(100).nullable(),
    country: z.string().max(2).nullable(),
    language: z.enum(['nl', 'en']),
    paymentTermDays: z.number().int().min(0).max(365).nullable(),
    creditLimit: Amount.nullable(),
    ibans: z.array(z.string().max(40)).max(20),
  })
  .partial()
  .openapi('DebtorInput');

export const ItemSchema = z
  .object({
    id: z.number().int(),
    debtorId: z.number().int(),
    debtorNumber: z.string(),
    debtorName: z.string(),
    kind: z.enum(['invoice', 'credit_note', 'unapplied_payment']),
    number: z.string(),
    issueDate: IsoDateSchema,
    dueDate: IsoDateSchema,
    amount: Amount,
    open: Amount,
    currency: z.string(),
    description: z.string().nullable(),
    paymentReference: z.string().nullable(),
    onHold: z.boolean(),
    holdReason: z.string().nullable(),
    documentId: z.number().int().nullable(),
    source: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Item');

export const ItemInputSchema = z
  .object({
    debtorId: z.number().int().min(1).max(999_999_999_999_999).optional(),
    debtorNumber: z.string().max(50).optional(),
    number: z.string().min(1).max(50),
    issueDate: IsoDateSchema,
    dueDate: IsoDateSchema.nullable().optional(),
    amount: Amount,
    currency: z.string().length(3).optional(),
    description: z.string().max(1000).nullable().optional(),
    paymentReference: z.string().max(40).nullable().optional(),
  })
  .openapi('ItemInput');

export const ItemChangeSchema = z
  .object({
    issueDate: IsoDateSchema,
    dueDate: IsoDateSchema,
    amount: Amount,
    description: z.string().max(1000).nullable(),
    paymentReference: z.string().max(40).nullable(),
  })
  .partial()
  .openapi('ItemChange');

export const HoldSchema = z.object({ reason: z.string().min(1).max(500) }).openapi('Hold');

export const EventSchema = z
  .object({ id: z.number().int(), debtorId: z.number().int().nullable(), itemId: z.number().int().nullable(), at: z.string(), kind: z.string(), params: z.record(z.string(), z.unknown()).nullable().openapi({ description: "the typed event's parameters (kind + params, see src/domain/events.ts); null on lines written before typed events: show summary as is" }), summary: z.string(), data: z.record(z.string(), z.unknown()), actor: z.string().nullable(), documentId: z.number().int().nullable() })
  .openapi('TimelineEvent');

const AgingBuckets = { not_due: Amount, d1_30: Amount, d31_60: Amount, d61_90: Amount, over_90: Amount, credits: Amount.openapi({ description: 'credit notes and credit balances (negative): in no bucket; total = buckets + credits' }), total: Amount };
export const AgingSchema = z
  .object({
    asOf: IsoDateSchema,
    totals: z.object({ ...AgingBuckets, byCurrency: z.record(z.string(), z.object(AgingBuckets)).openapi({ description: 'per ISO 4217 currency (the buckets above are EUR): amounts of two currencies are never added' }) }),
    debtors: z.array(z.object({ debtorId: z.number().int(), debtorNumber: z.string(), debtorName: z.string(), ...AgingBuckets })).optional(),
  })
  .openapi('Aging');

export const ImportResultSchema = z
  .object({
    kind: z.enum(['debtors', 'invoices', 'ubl']),
    filename: z.string(),
    importId: z.number().int().nullable(),
    alreadyImported: z.boolean(),
    rows: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    debtorsCreated: z.number().int(),
  })
  .openapi('ImportResult');

export const page = <T extends z.ZodTypeAny>(item: T, name: string) =>
  z.object({ rows: z.array(item), total: z.number().int().nullable(), limit: z.number().int(), offset: z.number().int() }).openapi(name);

// ---------------------------------------------------------------- mappers

export function cents(input: string): number {
  const neg = input.startsWith('-');
  const [w, f = ''] = input.replace('-', '').split('.');
  const v = Number(w) * 100 + Number(f.padEnd(2, '0'));
  return neg ? -v : v;
}

export const administrationJson = (a: Administration) => {
  const { settings: _s, ...rest } = a;
  return rest;
};

export const debtorJson = (d: Debtor | DebtorWithBalance) => {
  const { creditLimitCents, ...rest } = d as DebtorWithBalance;
  const out: Record<string, unknown> = { ...rest, creditLimit: creditLimitCents === null ? null : formatCents(creditLimitCents) };
  if ('balanceCents' in d) {
    delete out.balanceCents;
    delete out.overdueCents;
    out.balance = formatCents(d.balanceCents);
    out.overdue = formatCents(d.overdueCents);
  }
  return out as z.infer<typeof DebtorSchema>;
};

export const itemJson = (i: Item): z.infer<typeof ItemSchema> => {
  const { amountCents, openCents, ...rest } = i;
  return { ...rest, amount: formatCents(amountCents), open: formatCents(openCents) };
};

export const eventJson = (e: TimelineEvent) => e;

export const agingJson = <T extends Record<string, unknown>>(row: T) => {
  const out: Record<string, unknown> = { ...row };
  for (const k of ['not_due', 'd1_30', 'd31_60', 'd61_90', 'over_90', 'credits', 'total']) out[k] = formatCents(Number(row[k]));
  if (row.byCurrency && typeof row.byCurrency === 'object')
    out.byCurrency = Object.fromEntries(Object.entries(row.byCurrency as Record<string, Record<string, unknown>>).map(([c, b]) => [c, agingJson(b)]));
  return out;
};
