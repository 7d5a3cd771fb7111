/**
 * Text encodings of files people upload. Pure. Banks and bookkeeping packages still write
 * Windows-1252 (Latin-1) and UTF-16; reading those bytes as UTF-8 would store U+FFFD for every
 * accented letter, silently. So:
 *  - a byte order mark decides (UTF-8, UTF-16 LE/BE);
 *  - UTF-16 without a mark is recognised by its zero bytes (ASCII text in UTF-16 is half zeros);
 *  - otherwise UTF-8 when the bytes are valid UTF-8, else Windows-1252 (a superset of Latin-1 for
 *    printable characters), reported as a warning so the user knows how the file was read;
 *  - bytes that are neither (undefined in Windows-1252, or zeros in a text file) refuse the file,
 *    naming what was found.
 * A U+FFFD already in the text (a file damaged by an earlier conversion) is reported with its line.
 */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export type DecodedText =
  | { readonly ok: true; readonly text: string; readonly encoding: TextEncoding; readonly warnings: readonly { code: string; message: string; line?: number }[] }
  | { readonly ok: false; readonly code: 'encoding_unreadable'; readonly message: string; readonly line?: number };

/** Bytes that Windows-1252 leaves undefined: a file with them is not Windows-1252 either. */
const UNDEFINED_1252 = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

/** 0x80–0x9F in Windows-1252 (Node's decoder treats the label as ISO-8859-1 and gives C1 controls). */
const CP1252_HIGH = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/** Windows-1252 bytes to text. */
export function decodeWindows1252(bytes: Uint8Array): string {
  const parts: string[] = [];
  const CHUNK = 8192;
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const end = Math.min(bytes.length, start + CHUNK);
    let s = '';
    for (let i = start; i < end; i++) {
      const c = bytes[i]!;
      s += c >= 0x80 && c <= 0x9f ? CP1252_HIGH[c - 0x80]! : String.fromCharCode(c);
    }
    parts.push(s);
  }
  return parts.join('');
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function utf16WithoutBom(b: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(b.length - (b.length % 2), 4096);
  if (n < 4) return null;
  let evenZeros = 0, oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0) evenZeros++;
    if (b[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (oddZeros > pairs * 0.4 && evenZeros < pairs * 0.05) return 'utf-16le';
  if (evenZeros > pairs * 0.4 && oddZeros < pairs * 0.05) return 'utf-16be';
  return null;
}

export function decodeBytes(bytes: Uint8Array): DecodedText {
  const warnings: { code: string; message: string; line?: number }[] = [];
  let encoding: TextEncoding;
  let text: string;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    encoding = 'utf-8';
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    } catch {
      return { ok: false, code: 'encoding_unreadable', message: 'the file starts with a UTF-8 byte order mark but is not valid UTF-8' };
    }
  } else if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff) || utf16WithoutBom(bytes)) {
    encoding = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : utf16WithoutBom(bytes)!;
    try {
      text = new TextDecoder(encoding, { fatal: true }).decode(bytes);
    } catch {
      return { ok: false, code: 'encoding_unreadable', message: `the file looks like ${encoding.toUpperCase()} but is not valid ${encoding.toUpperCase()} (cut off, or mixed encodings)` };
    }
    warnings.push({ code: 'encoding_utf16', message: `the file is in ${encoding.toUpperCase()}; read as such` });
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      encoding = 'utf-8';
    } catch {
      for (let i = 0; i < bytes.length; i++) {
        const c = bytes[i]!;
        if (UNDEFINED_1252.has(c) || c === 0) {
          const line = lineAt(decodeWindows1252(bytes.subarray(0, i)), i);
          return { ok: false, code: 'encoding_unreadable', message: `line ${line}: the file is neither UTF-8 nor Windows-1252/Latin-1 (byte 0x${c.toString(16).padStart(2, '0')}); save it as UTF-8`, line };
        }
      }
      text = decodeWindows1252(bytes);
      encoding = 'windows-1252';
      warnings.push({ code: 'encoding_windows1252', message: 'the file is not valid UTF-8; read as Windows-1252 (Latin-1), so that é, ë and € are kept' });
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const bad = text.indexOf('\uFFFD');
  if (bad >= 0) warnings.push({ code: 'encoding_replacement_character', message: `line ${lineAt(text, bad)}: the file holds a replacement character (�): a character was lost before it reached Vorder`, line: lineAt(text, bad) });
  return { ok: true, text, encoding, warnings };
}
