/**
 * A small, strict XML reader (well-formedness only; no DTD, no external anything). One pass over
 * the text with indexOf, building the element tree directly: several times faster than a general
 * parser, which matters for bank statements of tens of megabytes. Errors name line and column.
 */
export type RawElement = { name: string; attrs: Record<string, string>; children: RawElement[]; text: string };
export type TokenizeError = { message: string; index: number; tooDeep?: boolean };

/**
 * Deepest nesting read. CAMT.053 goes about 12 levels deep, UBL and CII about 10; a document
 * nested thousands of levels deep is an attack on recursive readers, refused with its position.
 */
export const MAX_XML_DEPTH = 256;

const NAME = /^[A-Za-z_:][\w.:-]*$/;
const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(s: string, at: number): string | TokenizeError {
  if (s.indexOf('&') < 0) return s;
  let out = '';
  let i = 0;
  for (;;) {
    const amp = s.indexOf('&', i);
    if (amp < 0) return out + s.slice(i);
    out += s.slice(i, amp);
    const semi = s.indexOf(';', amp);
    if (semi < 0 || semi - amp > 12) return { message: 'an & that starts no entity (write &amp;)', index: at + amp };
    const ref = s.slice(amp + 1, semi);
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff) return { message: `bad character reference &${ref};`, index: at + amp };
      out += String.fromCodePoint(code);
    } else {
      const v = ENTITY[ref];
      if (v === undefined) return { message: `unknown entity &${ref}; (entities other than the five XML ones are refused)`, index: at + amp };
      out += v;
    }
    i = semi + 1;
  }
}

function parseAttrs(src: string, at: number): { ok: true; attrs: Record<string, string> } | { ok: false; error: TokenizeError } {
  const attrs: Record<string, string> = {};
  const re = /\s*([^\s=/>]+)\s*=\s*("([^"]*)"|'([^']*)')/y;
  let i = 0;
  while (i < src.length) {
    if (/^\s*$/.test(src.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(src);
    if (!m) return { ok: false, error: { message: 'a malformed attribute', index: at + i } };
    const name = m[1]!;
    if (!NAME.test(name)) return { ok: false, error: { message: `a bad attribute name "${name}"`, index: at + i } };
    if (name in attrs) return { ok: false, error: { message: `attribute "${name}" appears twice`, index: at + i } };
    const value = decodeEntities(m[3] ?? m[4] ?? '', at + i);
    if (typeof value !== 'string') return { ok: false, error: value };
    attrs[name] = value;
    i = re.lastIndex;
  }
  return { ok: true, attrs };
}

/** Shared by every element without attributes: a statement of 100,000 entries has millions of them. */
const NO_ATTRS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** Parse a whole document; returns the root element or the first well-formedness error. */
export function tokenize(text: string): { root: RawElement } | { error: TokenizeError } {
  const stack: RawElement[] = [];
  /** the direct text of each open element, as one string (no array per element) */
  const texts: string[] = [];
  let root: RawElement | null = null;
  let i = 0;
  const n = text.length;
  const fail = (message: string, index: number) => ({ error: { message, index } });
  while (i < n) {
    const lt = text.indexOf('<', i);
    const chunkEnd = lt < 0 ? n : lt;
    if (chunkEnd > i) {
      const chunk = text.slice(i, chunkEnd);
      if (stack.length) {
        const decoded = decodeEntities(chunk, i);
        if (typeof decoded !== 'string') return { error: decoded };
        texts[texts.length - 1] += decoded;
      } else if (chunk.trim() !== '') return fail(root ? 'text after the root element' : 'text before the root element', i);
    }
    if (lt < 0) break;
    const c = text.charCodeAt(lt + 1);
    if (c === 63 /* ? */) {
      const end = text.indexOf('?>', lt + 2);
      if (end < 0) return fail('an unclosed processing instruction', lt);
      i = end + 2;
    } else if (c === 33 /* ! */) {
      if (text.startsWith('<!--', lt)) {
        const end = text.indexOf('-->', lt + 4);
        if (end < 0) return fail('an unclosed comment', lt);
        i = end + 3;
      } else if (text.startsWith('<![CDATA[', lt)) {
        const end = text.indexOf(']]>', lt + 9);
        if (end < 0) return fail('an unclosed CDATA section', lt);
        if (!stack.length) return fail('CDATA outside the root element', lt);
        texts[texts.length - 1] += text.slice(lt + 9, end);
        i = end + 3;
      } else return fail('a DOCTYPE or other declaration is not allowed', lt);
    } else if (c === 47 /* / */) {
      const end = text.indexOf('>', lt + 2);
      if (end < 0) return fail('an unclosed end tag', lt);
      const name = text.slice(lt + 2, end).trim();
      const open = stack.pop();
      if (!open) return fail(`end tag </${name}> without a start tag`, lt);
      if (open.name !== name) return fail(`end tag </${name}> does not close <${open.name}>`, lt);
      open.text = texts.pop()!.trim();
      i = end + 1;
    } else {
      // a start tag: find its end, skipping '>' inside quoted attribute values
      let j = lt + 1;
      let quote = 0;
      for (; j < n; j++) {
        const ch = text.charCodeAt(j);
        if (quote) {
          if (ch === quote) quote = 0;
        } else if (ch === 34 || ch === 39) quote = ch;
        else if (ch === 62) break;
        else if (ch === 60) return fail('a "<" inside a tag', j);
      }
      if (j >= n) return fail('an unclosed start tag', lt);
      const selfClosing = text.charCodeAt(j - 1) === 47;
      const inner = text.slice(lt + 1, selfClosing ? j - 1 : j);
      const sp = inner.search(/[\s]/);
      const name = sp < 0 ? inner : inner.slice(0, sp);
      if (!NAME.test(name)) return fail(`a bad element name "${name}"`, lt);
      const parsed = sp < 0 ? { ok: true as const, attrs: NO_ATTRS } : parseAttrs(inner.slice(sp), lt + 1 + sp);
      if (!parsed.ok) return { error: parsed.error };
      const el: RawElement = { name, attrs: parsed.attrs, children: [], text: '' };
      if (stack.length) stack[stack.length - 1]!.children.push(el);
      else if (root) return fail('a second root element', lt);
      else root = el;
      if (!selfClosing) {
        if (stack.length >= MAX_XML_DEPTH) return { error: { message: `elements are nested more than ${MAX_XML_DEPTH} levels deep (at <${name}>)`, index: lt, tooDeep: true } };
        stack.push(el);
        texts.push('');
      }
      i = j + 1;
    }
  }
  if (stack.length) return fail(`<${stack[stack.length - 1]!.name}> is never closed`, n);
  if (!root) return fail('no root element', 0);
  return { root };
}
