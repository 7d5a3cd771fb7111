/** The one indexed key per invoice number that the store keeps for matching (see invoice-numbers.ts). */
import { invoiceNumberKeys } from './invoice-numbers.ts';

/** 'F2026-00123' → '2026.123'; null when the number has no digits. */
export function numberKey(number: string): string | null {
  const k = invoiceNumberKeys(number).find((x) => x.startsWith('Z:'));
  return k ? k.slice(2) : null;
}
