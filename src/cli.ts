/**
 * The `hallpass` command line. Each command lives in its own module and is
 * loaded only when asked for, so `hallpass sandbox clever` never opens the
 * broker's database.
 */
import { parseArgs } from 'node:util';
import { HallpassError } from './errors.ts';

const usage = `Usage: hallpass <command> [options]

Commands:
  dev                     Broker + Clever sandbox + demo setup on SQLite (what \`npm start\` runs).
  serve                   The broker alone (configured by environment variables; see README).
  api-keys create --name NAME
                          Create an API key (printed once) and show the client ID.
  api-keys list           List API keys: ID, name, last four characters, created, last used.
  api-keys revoke ID      Revoke an API key (refused at once; by other instances within 5 s).
  redirect-uris add URI [--default]
                          Allow an app redirect URI; --default makes it the target of
                          logins that start at the IdP (Clever Portal, Instant Login).
  redirect-uris list      List the allowed redirect URIs and the default.
  redirect-uris remove URI
                          Remove an allowed redirect URI.
  admins create --email EMAIL
                          Create a dashboard admin; the password is read from standard
                          input, or asked for twice on a terminal.
  settings [--default-role SLUG]
                          Show the client ID, default role and redirect URIs; change the
                          default role (given when no role mapping matches; \`member\` at first).
  sandbox clever [--port 8081] [--host 127.0.0.1] [--seed FILE] [--public-url URL] [--claims current|legacy]
                          Run the offline Clever emulator (rate-limit, memory and timeout
                          flags: docs/sandbox.md).
  config --markdown       Print the configuration table (as in the README).
  help [COMMAND]          Show this text, or what COMMAND does (also: COMMAND --help).

Options: -h, --help       Show this text.
`;

/** What `hallpass help COMMAND` and `hallpass COMMAND --help` print: the command's lines of the usage. */
function commandHelp(name: string): string | undefined {
  const lines = usage.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`  ${name} `) || line === `  ${name}`);
  if (start === -1) return undefined;
  let end = start + 1;
  while (end < lines.length && /^ {20,}\S/.test(lines[end]!)) end++;
  // A one-line entry holds the synopsis and its description apart by spaces.
  const [synopsis, ...description] = lines.slice(start, end).flatMap((line) => line.trim().split(/ {2,}/));
  return `Usage: hallpass ${synopsis}\n  ${description.join('\n  ')}\n\nConfiguration is read from environment variables: see \`hallpass config --markdown\` or the README.\n`;
}

type Command = (argv: string[]) => Promise<void>;

const commands: Record<string, Command> = {
  dev: async () => (await import('./commands/dev.ts')).dev(),
  serve: async () => (await import('./commands/serve.ts')).serve(),
  'api-keys': async (argv) => (await import('./commands/api-keys.ts')).apiKeysCommand(argv),
  admins: async (argv) => (await import('./commands/admins.ts')).adminsCommand(argv),
  settings: async (argv) => (await import('./commands/settings.ts')).settingsCommand(argv),
  'redirect-uris': async (argv) => (await import('./commands/redirect-uris.ts')).redirectUrisCommand(argv),
  sandbox: async (argv) => {
    const [kind, ...rest] = argv;
    if (kind !== 'clever') throw new HallpassError('invalid_request', `unknown sandbox "${kind ?? ''}"; try: hallpass sandbox clever`);
    const { runSandboxCommand } = await import('./sandbox/clever/cli.ts');
    await runSandboxCommand(rest);
  },
  config: async (argv) => {
    const { values } = parseArgs({ args: argv, options: { markdown: { type: 'boolean' } }, strict: true });
    const { configMarkdownTable } = await import('./config/index.ts');
    if (!values.markdown) throw new HallpassError('invalid_request', 'usage: hallpass config --markdown');
    process.stdout.write(configMarkdownTable() + '\n');
  },
  help: async (argv) => {
    const [topic] = argv;
    if (topic === undefined) return void process.stdout.write(usage);
    const text = commandHelp(topic);
    if (!text) throw new HallpassError('invalid_request', `unknown command "${topic}"; run hallpass help`);
    process.stdout.write(text);
  },
};

async function main(argv: string[]): Promise<void> {
  const [name = 'help', ...rest] = argv;
  if (name === '-h' || name === '--help') return void process.stdout.write(usage);
  // `hallpass COMMAND --help` (or -h) explains COMMAND instead of running it.
  if (commands[name] && (rest.includes('--help') || rest.includes('-h'))) return commands.help!([name === 'sandbox' ? 'sandbox clever' : name]);
  const command = commands[name];
  if (!command) {
    process.stderr.write(`hallpass: unknown command "${name}"\n\n${usage}`);
    process.exitCode = 2;
    return;
  }
  await command(rest);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`hallpass: ${message}\n`);
  process.exitCode = 1;
});
