/**
 * Safe XML reading for every XML format (CAMT.053, UBL, …). Pure: bytes/text in, a small
 * element tree out. Safety: a DOCTYPE is refused outright (so no external entities and no entity
 * expansion), input size is bounded, and malformed input gives an error naming line and column.
 * Namespace prefixes are dropped from element and attribute names (CAMT and UBL are read by
 * local name; the document's root namespace is kept in `XmlDoc.namespace`).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export type XmlElement = {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** Concatenated direct text content, trimmed. */
  readonly text: string;
};

export type XmlDoc = { root: XmlElement; namespace: string | null };

export type XmlError = { code: 'xml_malformed' | 'xml_doctype' | 'xml_too_large' | 'xml_empty'; message: string; line?: number; column?: number };

export const MAX_XML_BYTES = 200 * 1024 * 1024;

export function parseXml(input: string | Uint8Array, opts: { maxBytes?: number } = {}): { ok: true; doc: XmlDoc } | { ok: false; error: XmlError } {
  const maxBytes = opts.maxBytes ?? MAX_XML_BYTES;
  const size = typeof input === 'string' ? input.length : input.byteLength;
  if (size > maxBytes) return { ok: false, error: { code: 'xml_too_large', message: `XML is ${size} bytes, more than the limit of ${maxBytes}` } };
  let text = typeof input === 'string' ? input : new TextDecoder('utf-8').decode(input);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') return { ok: false, error: { code: 'xml_empty', message: 'the file is empty' } };
  const doctype = /<!DOCTYPE/i.exec(text);
  if (doctype) {
    const { line, column } = position(text, doctype.index);
    return { ok: false, error: { code: 'xml_doctype', message: `a DOCTYPE is not allowed (line ${line}, column ${column}): entities are refused for safety`, line, column } };
  }
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: true });
  if (valid !== true) {
    const { line, col, msg } = valid.err;
    return { ok: false, error: { code: 'xml_malformed', message: `malformed XML at line ${line}, column ${col}: ${msg}`, line, column: col } };
  }
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    removeNSPrefix: false,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    processEntities: true,
    htmlEntities: false,
  });
  const raw = parser.parse(text) as RawNode[];
  const rootRaw = raw.find((n) => !isSpecial(n));
  if (!rootRaw) return { ok: false, error: { code: 'xml_empty', message: 'no root element' } };
  const root = convert(rootRaw);
  const ns = findNamespace(rootRaw);
  return { ok: true, doc: { root, namespace: ns } };
}

type RawNode = Record<string, unknown>;

function isSpecial(n: RawNode): boolean {
  const k = tagOf(n);
  return k === null || k.startsWith('?') || k === '#text' || k === '#comment';
}

function tagOf(n: RawNode): string | null {
  for (const k of Object.keys(n)) if (k !== ':@') return k;
  return null;
}

function localName(name: string): string {
  const i = name.indexOf(':');
  return i >= 0 ? name.slice(i + 1) : name;
}

function findNamespace(n: RawNode): string | null {
  const attrs = (n[':@'] ?? {}) as Record<string, string>;
  const tag = tagOf(n)!;
  const prefix = tag.includes(':') ? tag.slice(0, tag.indexOf(':')) : null;
  return (prefix ? attrs[`xmlns:${prefix}`] : attrs['xmlns']) ?? null;
}

function convert(n: RawNode): XmlElement {
  const tag = tagOf(n)!;
  const rawAttrs = (n[':@'] ?? {}) as Record<string, string>;
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(rawAttrs)) if (!k.startsWith('xmlns')) attrs[localName(k)] = String(v);
  const kids = (n[tag] ?? []) as RawNode[];
  const children: XmlElement[] = [];
  let text = '';
  for (const k of kids) {
    const kt = tagOf(k);
    if (kt === '#text') text += String(k['#text']);
    else if (kt && !kt.startsWith('?') && kt !== '#comment') children.push(convert(k));
  }
  return { name: localName(tag), attrs, children, text: text.trim() };
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
