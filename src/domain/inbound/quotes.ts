/**
 * The new part of a reply and the quoted rest (which is kept, never thrown away). Recognised:
 * Gmail and Apple Mail attributions in Dutch and English ("Op … schreef …:", "On … wrote:",
 * "Op … heeft … het volgende geschreven:"), Outlook's "-----Oorspronkelijk bericht-----" /
 * "-----Original Message-----", its "Van:/From: … Verzonden:/Sent: …" header blocks (after a
 * "____" line or not), forwarded-message markers and lines starting with ">".
 */
export type Split = { fresh: string; quoted: string };

const SEPARATOR = /^\s*-{2,}\s*(oorspronkelijk bericht|origineel bericht|original message|doorgestuurd bericht|forwarded message|urspr[üu]ngliche nachricht)\s*-{2,}\s*$/i;
const ATTRIBUTION_NL = /^\s*(op|am)\s.{4,250}(schreef|geschreven|schrieb)[^:]{0,80}:\s*$/i;
const ATTRIBUTION_EN = /^\s*on\s.{4,250}\bwrote\s*:\s*$/i;
const HEADER_START = /^\s*\*?(van|from)\s*:\*?\s*\S/i;
const HEADER_NEXT = /^\s*\*?(verzonden|sent|date|datum|aan|to|onderwerp|subject|cc)\s*:\*?/i;

function isAttribution(line: string): boolean {
  return ATTRIBUTION_NL.test(line) || ATTRIBUTION_EN.test(line);
}

export function splitQuoted(text: string): Split {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let cut = -1;
  for (let i = 0; i < lines.length && cut < 0; i++) {
    const l = lines[i]!;
    if (SEPARATOR.test(l)) cut = i;
    else if (isAttribution(l)) cut = i;
    // attributions wrapped over two or three lines (Gmail wraps long sender addresses)
    else if (/^\s*(op|on|am)\s/i.test(l) && i + 1 < lines.length && (isAttribution(`${l} ${lines[i + 1]}`) || (i + 2 < lines.length && isAttribution(`${l} ${lines[i + 1]} ${lines[i + 2]}`)))) cut = i;
    else if (HEADER_START.test(l) && lines.slice(i + 1, i + 5).some((n) => HEADER_NEXT.test(n))) {
      cut = i;
      // an Outlook rule line right above belongs to the quote
      if (i > 0 && /^\s*_{8,}\s*$/.test(lines[i - 1]!)) cut = i - 1;
    } else if (/^\s*>/.test(l) && lines.slice(i).every((n) => /^\s*(>|$)/.test(n))) cut = i;
  }
  const head = cut < 0 ? lines : lines.slice(0, cut);
  const tail = cut < 0 ? [] : lines.slice(cut);
  // inline quoting above the cut (answers between quoted lines): the quoted lines are not new
  const fresh = head.filter((l) => !/^\s*>/.test(l));
  const quotedInline = head.filter((l) => /^\s*>/.test(l));
  return { fresh: fresh.join('\n').trim(), quoted: [...quotedInline, ...tail].join('\n').trim() };
}
