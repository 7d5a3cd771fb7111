// Prints the table of every API operation and who may call it (from http/roles.ts and the
// OpenAPI document), for docs/security.md: `npx tsx scripts/endpoints.ts`.
import { createApp } from '../src/http/app.ts';
import { endpointTable } from '../src/http/roles.ts';

const app = createApp({ db: { query: async () => [], engine: 'pglite' } as never });
const doc = (await (await app.request('/api/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
console.log('| method | path | who may call it |\n|---|---|---|');
for (const r of endpointTable(doc)) console.log(`| ${r.method} | \`${r.path}\` | ${r.who} |`);
