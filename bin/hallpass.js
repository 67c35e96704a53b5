#!/usr/bin/env node
// Entry point for `npx hallpass`: loads the TypeScript sources through tsx so a
// checkout runs without a build step. npx puts node_modules/.bin first on PATH,
// so `node` here is the Node 24 pinned in package.json.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
