import { describe, expect, it } from 'vitest';
import { parseXml, textAt, all } from '../../src/formats/xml.ts';

describe('the safe XML reader', () => {
  it('reads elements by local name, attributes, entities, CDATA and comments', () => {
    const r = parseXml('<?xml version="1.0"?>\n<!-- hi --><a:Doc xmlns:a="urn:x" b="1 &amp; 2"><a:T>x &lt; y &#233;&#x20AC;</a:T><![CDATA[]]><a:T><![CDATA[<raw>]]></a:T><E/></a:Doc>');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.doc.namespace).toBe('urn:x');
    expect(r.doc.root.name).toBe('Doc');
    expect(r.doc.root.attrs).toEqual({ b: '1 & 2' });
    expect(all(r.doc.root, 'T').map((t) => t.text)).toEqual(['x < y é€', '<raw>']);
    expect(textAt(r.doc.root, 'E')).toBeNull();
  });
  it.each([
    ['<a><b></a>', /line 1, column 7: end tag <\/a> does not close <b>/],
    ['<a>\n  <b>\n</a>', /line 3, column 1/],
    ['<a', /unclosed start tag/],
    ['<a>&foo;</a>', /unknown entity &foo;/],
    ['<a>fish & chips</a>', /an & that starts no entity/],
    ['<a x="1" x="2"/>', /appears twice/],
    ['<a></a><b/>', /second root element/],
    ['<a>', /never closed/],
    ['', /empty/],
  ])('refuses %j with its position', (xml, message) => {
    const r = parseXml(xml);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(message);
  });
  it('refuses a DOCTYPE: no entity expansion, no external entities', () => {
    const bomb = '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>\n<lolz>&lol2;</lolz>';
    expect(parseXml(bomb)).toMatchObject({ ok: false, error: { code: 'xml_doctype', line: 2 } });
    expect(parseXml('<!DOCTYPE x SYSTEM "file:///etc/passwd"><x/>')).toMatchObject({ ok: false, error: { code: 'xml_doctype' } });
  });
  it('bounds the size', () => {
    expect(parseXml('<a/>', { maxBytes: 3 })).toMatchObject({ ok: false, error: { code: 'xml_too_large' } });
  });
});
