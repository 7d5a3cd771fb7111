#!/usr/bin/env node
// The `vorder` command. TypeScript runs directly through tsx (no build step).
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/main.ts');
