/** Validates written SEPA files against the official ISO 20022 XSDs with xmllint (libxml2-utils). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAMPLES } from './samples.ts';

const dir = mkdtempSync(join(tmpdir(), 'vorder-xsd-'));
let n = 0;

export function xsdPath(version: string): string {
  return join(SAMPLES, 'xsd', 'iso20022', `${version}.xsd`);
}

/** Writes `xml` to a file and validates it; returns xmllint's verdict and messages. */
export function validateXsd(xml: string, version: string): { ok: boolean; output: string; file: string } {
  const file = join(dir, `${version}-${++n}.xml`);
  writeFileSync(file, xml);
  return validateXsdFile(file, version);
}

export function validateXsdFile(file: string, version: string): { ok: boolean; output: string; file: string } {
  try {
    const out = execFileSync('xmllint', ['--noout', '--schema', xsdPath(version), file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { ok: true, output: out, file };
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string };
    return { ok: false, output: `${err.stdout ?? ''}${err.stderr ?? ''}`, file };
  }
}
