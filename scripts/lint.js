// Layer check: the direction of dependencies is enforced here.
//   domain (pure) ← formats (pure) ← store ← app ← http / cli / jobs / web
// domain and formats may import no I/O (node:fs, net, database drivers, HTTP) and nothing above them.
// Also refuses focused or skipped tests.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';

const ROOT = resolve('src');
const layers = ['domain', 'formats', 'store', 'app', 'http', 'cli', 'jobs', 'web'];
const rank = { domain: 0, formats: 1, store: 2, app: 3, http: 4, cli: 4, jobs: 4, web: 4 };
const allowedAbove = { cli: ['http', 'jobs'], http: ['jobs'], jobs: [], web: [] };
const forbiddenInPure = [/^node:(fs|net|http|https|child_process|dgram|tls|worker_threads|cluster)/, /^(fs|net|http|https|child_process)$/, /^pg(-copy-streams)?$/, /^@electric-sql\//, /^hono/, /^@hono\//, /^nodemailer/, /^commander/];

function walk(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') || p.endsWith('.tsx') ? [p] : [];
  });
}

const problems = [];
for (const file of walk(ROOT)) {
  const layer = relative(ROOT, file).split(/[\\/]/)[0];
  if (!layers.includes(layer)) continue;
  const src = readFileSync(file, 'utf8');
  const re = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  let m;
  while ((m = re.exec(src))) {
    const spec = m[1] ?? m[2];
    if (rank[layer] <= 1 && forbiddenInPure.some((r) => r.test(spec))) problems.push(`${relative('.', file)}: the ${layer} layer is pure and may not import "${spec}"`);
    if (spec.startsWith('.')) {
      const target = relative(ROOT, resolve(dirname(file), spec)).split(/[\\/]/)[0];
      if (layers.includes(target) && rank[target] > rank[layer] && !(allowedAbove[layer] ?? []).includes(target))
        problems.push(`${relative('.', file)}: ${layer} may not import from ${target} ("${spec}")`);
      if (layers.includes(target) && rank[target] === rank[layer] && target !== layer && !(allowedAbove[layer] ?? []).includes(target))
        problems.push(`${relative('.', file)}: ${layer} may not import from ${target} ("${spec}")`);
    }
  }
}
for (const file of walk(resolve('test'))) {
  const src = readFileSync(file, 'utf8');
  if (/\b(it|test|describe)\.(only|skip|todo)\(|\bx(it|describe)\(/.test(src)) problems.push(`${relative('.', file)}: focused or skipped test`);
}
if (problems.length) {
  console.error(problems.join('\n'));
  console.error(`lint: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log('lint: layers ok');
