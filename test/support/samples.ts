/** The real third-party sample files live beside the repository in ../shared/samples. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const SAMPLES = resolve(process.env.VORDER_SAMPLES ?? '../shared/samples');

export function sampleFiles(sub: string, filter: (name: string) => boolean = () => true): string[] {
  const dir = join(SAMPLES, sub);
  return readdirSync(dir).filter(filter).sort().map((f) => join(dir, f));
}

export function readSample(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path));
}
