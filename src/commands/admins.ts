/**
 * `hallpass admins create --email EMAIL`: an admin account for the dashboard.
 * The password is read from standard input when it is not a terminal (for
 * scripts: `printf '%s' "$PW" | hallpass admins create --email …`), and asked
 * for twice, without echo, when it is.
 */
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { createAdmin } from '../dashboard/admin-accounts.ts';
import { paths } from '../dashboard/paths.ts';
import { HallpassError } from '../errors.ts';
import { openBroker } from '../start-broker.ts';

const usage = 'usage: hallpass admins create --email EMAIL   (password from standard input, or asked for)';

export async function adminsCommand(argv: string[]): Promise<void> {
  const [action, ...rest] = argv;
  if (action !== 'create') throw new HallpassError('invalid_request', usage);
  const { values } = parseArgs({ args: rest, options: { email: { type: 'string' } }, strict: true });
  if (!values.email) throw new HallpassError('invalid_request', usage);
  const password = process.stdin.isTTY ? await askTwice() : await readPiped();
  const ctx = await openBroker();
  try {
    const admin = await createAdmin(ctx, values.email, password);
    process.stdout.write(`Admin ${admin.email} created. Sign in at ${ctx.config.publicUrl}${paths.signIn()}\n`);
  } finally {
    await ctx.store.close();
  }
}

/** Everything on standard input, without the final line break. */
async function readPiped(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

async function askTwice(): Promise<string> {
  const first = await askHidden('Password: ');
  const second = await askHidden('Password again: ');
  if (first !== second) throw new HallpassError('invalid_request', 'the two passwords differ');
  return first;
}

/** Asks on the terminal without echoing what is typed. */
async function askHidden(prompt: string): Promise<string> {
  process.stdout.write(prompt);
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = createInterface({ input: process.stdin, output: muted, terminal: true });
  try {
    return await rl.question('');
  } finally {
    rl.close();
    process.stdout.write('\n');
  }
}
