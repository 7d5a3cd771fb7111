/**
 * Currencies: ISO 4217 codes only, in upper case. Amounts are integer minor units everywhere in
 * Vorder, so a currency is also what keeps two amounts from being added (aging and totals are per
 * currency). The list is ISO 4217's active currency codes (list one, 2024), without the codes that
 * are no money to invoice in: XXX (no currency), XTS (testing), precious metals (XAU, XAG, XPD, XPT),
 * units of account and bond-market units (XBA–XBD, XDR, XSU, XUA) and fund codes (BOV, CHE, CHW,
 * CLF, COU, MXV, USN, UYI, UYW).
 */
const CODES =
  'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUC CUP CVE CZK ' +
  'DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW ' +
  'KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR ' +
  'PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU ' +
  'UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG ZWL';

export const ISO_4217: ReadonlySet<string> = new Set(CODES.split(' '));

/**
 * Withdrawn codes (ISO 4217 list three) that old bank statements still carry: the currencies the
 * euro replaced. Accepted on statements (history is what it is), never on new invoices.
 */
export const ISO_4217_HISTORIC: ReadonlySet<string> = new Set('ATS BEF DEM ESP FIM FRF GRD IEP ITL LUF NLG PTE CYP EEK LTL LVL MTL SIT SKK HRK'.split(' '));

/** 'eur' → 'EUR'; null for anything that is not an ISO 4217 code Vorder accepts ('XXX', 'ABC', 'EURO'). */
export function normaliseCurrency(code: string | null | undefined, opts: { historic?: boolean } = {}): string | null {
  if (typeof code !== 'string') return null;
  const c = code.trim().toUpperCase();
  return ISO_4217.has(c) || (opts.historic === true && ISO_4217_HISTORIC.has(c)) ? c : null;
}

/** The message for a refused code, the same at every edge. */
export function currencyProblem(code: string): string {
  return `"${code}" is not an ISO 4217 currency code (EUR, USD, GBP …)`;
}
