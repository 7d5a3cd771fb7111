/**
 * Everything the rules say about one inbound message, in one pure call: what it is (classify.ts),
 * the new part and the quoted rest (quotes.ts), the suggestions (suggest.ts; an automatic reply
 * only gets "out of office, until when"), and what to look up to find the debtor (resolve.ts).
 */
import { classify, type Classification } from './classify.ts';
import type { InboundMessage } from './message.ts';
import { splitQuoted } from './quotes.ts';
import { resolutionKeys, type ResolutionKeys } from './resolve.ts';
import { outOfOfficeOf, suggest, type Suggestion } from './suggest.ts';
import type { IsoDate } from '../dates.ts';

export type Analysis = { classification: Classification; fresh: string; quoted: string; suggestions: Suggestion[]; keys: ResolutionKeys };

/** `today`: the calendar day the message arrived (relative dates count from it). */
export function analyse(m: InboundMessage, today: IsoDate): Analysis {
  const classification = classify(m);
  const { fresh, quoted } = classification.kind === 'bounce' ? { fresh: m.text.trim(), quoted: '' } : splitQuoted(m.text);
  let suggestions: Suggestion[] = [];
  if (classification.kind === 'reply') suggestions = suggest(fresh, m.subject, today);
  else if (classification.kind === 'auto_reply') {
    const ooo = outOfOfficeOf(fresh, m.subject, today);
    if (/afwezig|vakantie|out of (the )?office|on (holiday|vacation|leave)|niet aanwezig|terug op|back on/i.test(`${m.subject}\n${fresh}`)) suggestions = [ooo];
  }
  return { classification, fresh, quoted, suggestions, keys: resolutionKeys(m, `${fresh}\n${quoted}`) };
}
