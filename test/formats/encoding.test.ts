/** Encodings: UTF-16 (with and without BOM) and Windows-1252 are decoded; undecodable bytes refuse the file; U+FFFD is never silent. */
import { describe, expect, it } from 'vitest';
import { decodeBytes } from '../../src/formats/encoding.ts';
import { parseStatementFile } from '../../src/formats/statement.ts';
import { parseXml } from '../../src/formats/xml.ts';

const MT940 = ':20:STMT\r\n:25:NL91ABNA0417164300\r\n:28C:1\r\n:60F:C261120EUR100,00\r\n:61:2611201120C10,00NTRFNONREF//B1\r\n:86:/CNTP/NL44RABO0123456789/RABONL2U/Café Hoëk/Utrecht//REMI/USTD//factuur 2026-01151 €10/\r\n:62F:C261120EUR110,00\r\n-';

function utf16(s: string, le: boolean, bom: boolean): Uint8Array {
  const out = new Uint8Array((s.length + (bom ? 1 : 0)) * 2);
  let o = 0;
  const put = (c: number) => {
    out[o++] = le ? c & 0xff : c >> 8;
    out[o++] = le ? c >> 8 : c & 0xff;
  };
  if (bom) put(0xfeff);
  for (let i = 0; i < s.length; i++) put(s.charCodeAt(i));
  return out;
}

function win1252(s: string): Uint8Array {
  return Uint8Array.from([...s].map((ch) => (ch === '€' ? 0x80 : ch.charCodeAt(0))));
}

describe('decodeBytes', () => {
  it('reads UTF-16 LE and BE, with and without a byte order mark', () => {
    for (const [le, bom] of [[true, true], [false, true], [true, false], [false, false]] as const) {
      const d = decodeBytes(utf16(MT940, le, bom));
      expect(d.ok && d.text, `le=${le} bom=${bom}`).toBe(MT940);
      expect(d.ok && d.encoding).toBe(le ? 'utf-16le' : 'utf-16be');
    }
  });

  it('reads Windows-1252 when the bytes are not UTF-8, and says so', () => {
    const d = decodeBytes(win1252(MT940));
    expect(d).toMatchObject({ ok: true, text: MT940, encoding: 'windows-1252', warnings: [{ code: 'encoding_windows1252' }] });
  });

  it('refuses bytes that are neither, naming the encoding and the line', () => {
    const b = win1252('regel 1\nregel 2 x');
    b[b.length - 1] = 0x81;
    expect(decodeBytes(b)).toMatchObject({ ok: false, code: 'encoding_unreadable', line: 2, message: expect.stringMatching(/Windows-1252/) });
  });

  it('reports a replacement character already in the text', () => {
    expect(decodeBytes(new TextEncoder().encode('a\nCaf\uFFFD'))).toMatchObject({ ok: true, warnings: [{ code: 'encoding_replacement_character', line: 2 }] });
  });
});

describe('statements and XML in other encodings', () => {
  it('imports an MT940 in UTF-16 and one in Windows-1252 with the accents intact', () => {
    for (const bytes of [utf16(MT940, true, true), win1252(MT940)]) {
      const r = parseStatementFile(bytes, 'x.940');
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      const e = r.value.statements[0]!.entries[0]!;
      expect(e.counterpartyName).toBe('Café Hoëk');
      expect(e.remittance).toContain('€10');
      expect(r.warnings.some((w) => w.code.startsWith('encoding_'))).toBe(true);
    }
  });

  it('reads Latin-1 bytes in XML declared UTF-8 as Latin-1, not as U+FFFD', () => {
    const r = parseXml(win1252('<?xml version="1.0" encoding="UTF-8"?><a><b>Café</b></a>'));
    expect(r.ok && r.doc.root.children[0]!.text).toBe('Café');
  });
});
