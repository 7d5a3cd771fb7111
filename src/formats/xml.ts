/**
 * Safe XML reading for every XML format (CAMT.053, UBL, …). Pure: bytes/text in, a small
 * element tree out. Safety: a DOCTYPE is refused outright (so no external entities and no entity
 * expansion), input size is bounded, and malformed input gives an error naming line and column.
 * Namespace prefixes are dropped from element and attribute names (CAMT and UBL are read by
 * local name; the document's root namespace is kept in `XmlDoc.namespace`).
 */
import { tokenize, type RawElement } from './xml-tokenizer.ts';
import { decodeBytes } from './encoding.ts';

export type XmlElement = {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** Concatenated direct text content, trimmed. */
  readonly text: string;
};

export type XmlDoc = { root: XmlElement; namespace: string | null };

export type XmlError = { code: 'xml_malformed' | 'xml_doctype' | 'xml_too_large' | 'xml_too_deep' | 'xml_empty' | 'xml_encoding'; message: string; line?: number; column?: number };

export const MAX_XML_BYTES = 200 * 1024 * 1024;

export function parseXml(input: string | Uint8Array, opts: { maxBytes?: number } = {}): { ok: true; doc: XmlDoc } | { ok: false; error: XmlError } {
  const maxBytes = opts.maxBytes ?? MAX_XML_BYTES;
  const size = typeof input === 'string' ? input.length : input.byteLength;
  if (size > maxBytes) return { ok: false, error: { code: 'xml_too_large', message: `XML is ${size} bytes, more than the limit of ${maxBytes}` } };
  let text: string;
  if (typeof input === 'string') text = input;
  else {
    // UTF-16 and Latin-1 files (whatever their declaration says) are read as what they are, never with U+FFFD
    const dec = decodeBytes(input);
    if (!dec.ok) return { ok: false, error: { code: 'xml_encoding', message: dec.message, ...(dec.line ? { line: dec.line } : {}) } };
    text = dec.text;
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') return { ok: false, error: { code: 'xml_empty', message: 'the file is empty' } };
  const doctype = /<!DOCTYPE/i.exec(text);
  if (doctype) {
    const { line, column } = position(text, doctype.index);
    return { ok: false, error: { code: 'xml_doctype', message: `a DOCTYPE is not allowed (line ${line}, column ${column}): entities are refused for safety`, line, column } };
  }
  const parsed = tokenize(text);
  if ('error' in parsed) {
    const { line, column } = position(text, parsed.error.index);
    if (parsed.error.tooDeep) return { ok: false, error: { code: 'xml_too_deep', message: `XML too deep at line ${line}, column ${column}: ${parsed.error.message}`, line, column } };
    return { ok: false, error: { code: 'xml_malformed', message: `malformed XML at line ${line}, column ${column}: ${parsed.error.message}`, line, column } };
  }
  const namespace = namespaceOf(parsed.root);
  return { ok: true, doc: { root: convert(parsed.root), namespace } };
}

function localName(name: string): string {
  const i = name.indexOf(':');
  return i >= 0 ? name.slice(i + 1) : name;
}

function namespaceOf(el: RawElement): string | null {
  const prefix = el.name.includes(':') ? el.name.slice(0, el.name.indexOf(':')) : null;
  return (prefix ? el.attrs[`xmlns:${prefix}`] : el.attrs['xmlns']) ?? null;
}

const NO_ATTRS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * Local names, in place: the raw tree already has the shape of `XmlElement`, and copying it would
 * double the memory of a large statement. Iterative, so depth costs no stack.
 */
function convert(root: RawElement): XmlElement {
  const todo: RawElement[] = [root];
  while (todo.length) {
    const el = todo.pop()!;
    el.name = localName(el.name);
    let attrs: Record<string, string> | null = null;
    for (const k in el.attrs) {
      if (k.startsWith('xmlns')) continue;
      (attrs ??= {})[localName(k)] = el.attrs[k]!;
    }
    el.attrs = attrs ?? (NO_ATTRS as Record<string, string>);
    for (const c of el.children) todo.push(c);
  }
  return root;
}

function position(text: string, index: number): { line: number; column: number } {
  let line = 1, last = -1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) { line++; last = i; }
  return { line, column: index - last };
}

// ----------------------------------------------------------------- navigation helpers

/** First child with this local name. */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

/** All children with this local name. */
export function children(el: XmlElement | undefined, name: string): XmlElement[] {
  return el ? el.children.filter((c) => c.name === name) : [];
}

/** Follow a path of local names (`'Amt'`, `'RltdPties/Dbtr/Nm'`), first match at each step. */
export function at(el: XmlElement | undefined, path: string): XmlElement | undefined {
  let cur = el;
  for (const part of path.split('/')) {
    if (!cur) return undefined;
    cur = child(cur, part);
  }
  return cur;
}

/** Text at a path, or null when absent or empty. */
export function textAt(el: XmlElement | undefined, path: string): string | null {
  const t = at(el, path)?.text;
  return t === undefined || t === '' ? null : t;
}

/** All elements matching a path (every match at every step). */
export function all(el: XmlElement | undefined, path: string): XmlElement[] {
  let cur: XmlElement[] = el ? [el] : [];
  for (const part of path.split('/')) cur = cur.flatMap((c) => children(c, part));
  return cur;
}
