/** Benchmark harness: timings with the peak RSS seen during each step, written to bench/results.json. */
import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

export type BenchResult = {
  name: string;
  engine: 'pglite' | 'postgres' | 'none';
  seconds: number;
  peakRssMiB: number;
  /** The same machine's raw floor for the same work (e.g. a bare COPY), when there is one. */
  floorSeconds?: number;
  floorWhat?: string;
  target?: string;
  targetSeconds?: number;
  met?: boolean;
  extra?: Record<string, unknown>;
};

export async function measure<T>(fn: () => Promise<T>): Promise<{ seconds: number; peakRssMiB: number; value: T }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 25);
  const t = process.hrtime.bigint();
  try {
    const value = await fn();
    const seconds = Number(process.hrtime.bigint() - t) / 1e9;
    peak = Math.max(peak, process.memoryUsage().rss);
    return { seconds, peakRssMiB: Math.round(peak / 1048576), value };
  } finally {
    clearInterval(timer);
  }
}

/** Median of n runs (for short queries). */
export async function median(n: number, fn: () => Promise<unknown>): Promise<{ seconds: number; peakRssMiB: number }> {
  const times: number[] = [];
  let peak = 0;
  for (let i = 0; i < n; i++) {
    const m = await measure(fn);
    times.push(m.seconds);
    peak = Math.max(peak, m.peakRssMiB);
  }
  times.sort((a, b) => a - b);
  return { seconds: times[Math.floor(times.length / 2)]!, peakRssMiB: peak };
}

export function report(r: BenchResult): BenchResult {
  const met = r.targetSeconds === undefined ? undefined : r.seconds <= r.targetSeconds;
  const out = { ...r, seconds: round(r.seconds), ...(r.floorSeconds !== undefined ? { floorSeconds: round(r.floorSeconds) } : {}), ...(met !== undefined ? { met } : {}) };
  const ratio = r.floorSeconds ? ` (${(r.seconds / r.floorSeconds).toFixed(1)}× floor ${fmt(r.floorSeconds)} ${r.floorWhat ?? ''})` : '';
  const target = r.target ? `  target ${r.target}: ${met ? 'met' : 'NOT met'}` : '';
  console.log(`${r.engine.padEnd(8)} ${r.name.padEnd(52)} ${fmt(r.seconds).padStart(9)}  peak RSS ${String(r.peakRssMiB).padStart(5)} MiB${ratio}${target}`);
  return out;
}

function fmt(s: number): string {
  return s < 1 ? `${(s * 1000).toFixed(1)} ms` : `${s.toFixed(2)} s`;
}
function round(s: number): number {
  return Math.round(s * 1e6) / 1e6;
}

export function writeResults(file: string, section: string, results: BenchResult[], meta: Record<string, unknown>): void {
  const existing = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  const doc = {
    ...existing,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    [section]: { at: new Date().toISOString(), ...meta, results },
  };
  writeFileSync(file, JSON.stringify(doc, null, 2) + '\n');
}
