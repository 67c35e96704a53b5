/**
 * The README's generated tables (configuration, error codes), kept between
 * `<!-- generated:NAME -->` and `<!-- /generated:NAME -->` markers.
 * `npm run docs` rewrites them; test/docs/readme.test.ts fails when they are stale.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { configMarkdownTable } from '../src/config/index.ts';
import { errorCodesMarkdownTable } from '../src/errors.ts';

export const README = fileURLToPath(new URL('../README.md', import.meta.url));

export const generatedTables: Record<string, () => string> = {
  config: configMarkdownTable,
  'error-codes': errorCodesMarkdownTable,
};

/** The README text with every generated section replaced by its current table. */
export function withCurrentTables(readme: string): string {
  let text = readme;
  for (const [name, table] of Object.entries(generatedTables)) {
    const pattern = new RegExp(`(<!-- generated:${name} -->)[\\s\\S]*?(<!-- /generated:${name} -->)`);
    if (!pattern.test(text)) throw new Error(`README.md has no <!-- generated:${name} --> section`);
    text = text.replace(pattern, (_m, open: string, close: string) => `${open}\n${table()}\n${close}`);
  }
  return text;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeFile(README, withCurrentTables(await readFile(README, 'utf8')));
  process.stdout.write('README.md tables updated\n');
}
