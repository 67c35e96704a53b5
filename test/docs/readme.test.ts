import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { README, withCurrentTables } from '../../scripts/readme-tables.ts';

test('the README\'s configuration and error-code tables match the code (run `npm run docs` to update)', async () => {
  const readme = await readFile(README, 'utf8');
  assert.equal(readme, withCurrentTables(readme));
});

test('the README starts with the two-command quick start that CI runs', async () => {
  const readme = await readFile(README, 'utf8');
  const quickStart = readme.slice(0, readme.indexOf('\n## ', readme.indexOf('## Quick start') + 1));
  assert.match(quickStart, /npm install && npm start/);
  assert.match(quickStart, /npm install && npm test/);
  const ci = await readFile(new URL('../../.ci/run', import.meta.url), 'utf8');
  assert.match(ci, /npm install[^\n]*\n\s*npm test/);
});
