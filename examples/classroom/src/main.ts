/**
 * Starts Classroom: `npm start` in this folder, or `hallpass dev` from the
 * Hallpass checkout (which sets the variables for its demo).
 */
import { buildClassroom } from './app.ts';
import { readConfig } from './config.ts';
import { openDatabase } from './database.ts';

let config;
try {
  config = readConfig(process.env);
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(2);
}
const db = openDatabase(config.databaseFile);
const app = await buildClassroom({ config, db, logger: { level: process.env.CLASSROOM_LOG_LEVEL ?? 'info' } });
await app.listen({ port: config.port, host: config.host });
const url = config.publicUrl ?? `http://localhost:${config.port}`;
process.stdout.write(`Classroom is running at ${url} (redirect URI: ${url}/callback)\n`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void app.close().then(() => db.close());
  });
}
