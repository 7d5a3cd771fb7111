/**
 * DejaVu Sans (regular + bold) for pdfkit, read once per process.
 *
 * Speed: `doc.registerFont(name, bytes)` makes pdfkit parse the TTF with fontkit again for every
 * document, and parsing the GSUB/GPOS/glyf tables of DejaVu costs ~100 ms per letter. The parsed
 * fontkit font is immutable for our use (pdfkit keeps per-document state — subset, widths, layout
 * cache — in its own `EmbeddedFont` wrapper), so we parse once and give every document a fresh
 * `EmbeddedFont` around the shared parsed font (~10 ms per letter). That wrapper class is not
 * exported by pdfkit 0.17, so we take it from a font opened the ordinary way; if pdfkit's internals
 * ever differ, we fall back to `registerFont` (correct, only slower).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';

export const FONT_REGULAR = 'DejaVu';
export const FONT_BOLD = 'DejaVu-Bold';

const require = createRequire(import.meta.url);

type FontBytes = { regular: Buffer; bold: Buffer };
let bytes: FontBytes | undefined;

/** The TTF bytes from the `dejavu-fonts-ttf` package, read on first use and kept. */
export function dejaVuBytes(): FontBytes {
  bytes ??= {
    regular: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
    bold: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')),
  };
  return bytes;
}

type EmbeddedFont = { name?: string; layoutCache?: Record<string, unknown> };
type EmbeddedFontCtor = new (doc: unknown, font: unknown, id: string) => EmbeddedFont;
type Internals = { _fontFamilies: Record<string, unknown>; _fontCount: number; _font?: { font?: unknown; constructor: unknown } };
type Shared = { ctor: EmbeddedFontCtor; regular: unknown; bold: unknown };

let shared: Shared | null | undefined;

/**
 * Word layouts (fontkit shaping results, read-only for left/center/right-aligned text) shared by
 * all documents, per font; dropped every LAYOUT_CACHE_DOCS documents to bound memory. Never use
 * `align: 'justify'` or `wordSpacing` with these fonts: pdfkit then adjusts a cached position.
 */
const LAYOUT_CACHE_DOCS = 2000;
let layoutCaches = { regular: Object.create(null) as Record<string, unknown>, bold: Object.create(null) as Record<string, unknown>, docs: 0 };

function parseOnce(): Shared | null {
  try {
    const { regular, bold } = dejaVuBytes();
    const probe = new PDFDocument({ autoFirstPage: false }) as unknown as PDFKit.PDFDocument & Internals;
    probe.font(regular);
    const r = probe._font;
    probe.font(bold);
    const b = probe._font;
    const ctor = r?.constructor;
    if (!r?.font || !b?.font || typeof ctor !== 'function' || ctor !== b.constructor) return null;
    if (typeof probe._fontCount !== 'number' || typeof probe._fontFamilies !== 'object') return null;
    return { ctor: ctor as EmbeddedFontCtor, regular: r.font, bold: b.font };
  } catch {
    return null;
  }
}

/** Make `FONT_REGULAR` and `FONT_BOLD` available in `doc` (use `doc.font(FONT_BOLD)`). */
export function installDejaVu(doc: PDFKit.PDFDocument): void {
  if (shared === undefined) shared = parseOnce();
  const d = doc as unknown as Internals;
  if (shared && typeof d._fontCount === 'number' && typeof d._fontFamilies === 'object') {
    if (++layoutCaches.docs > LAYOUT_CACHE_DOCS) layoutCaches = { regular: Object.create(null), bold: Object.create(null), docs: 1 };
    const regular = new shared.ctor(doc, shared.regular, `F${++d._fontCount}`);
    const bold = new shared.ctor(doc, shared.bold, `F${++d._fontCount}`);
    if (regular.layoutCache) regular.layoutCache = layoutCaches.regular;
    if (bold.layoutCache) bold.layoutCache = layoutCaches.bold;
    d._fontFamilies[FONT_REGULAR] = regular;
    d._fontFamilies[FONT_BOLD] = bold;
    return;
  }
  const { regular, bold } = dejaVuBytes();
  doc.registerFont(FONT_REGULAR, regular);
  doc.registerFont(FONT_BOLD, bold);
}

/** Whether the fast path (shared parsed fonts) is in use; for the benchmark report. */
export function fontFastPath(): boolean {
  if (shared === undefined) shared = parseOnce();
  return shared !== null;
}
