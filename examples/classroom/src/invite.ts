/**
 * `npm run invite -- EMAIL [PREFERRED NAME]`: an account made before its owner
 * signs in with Clever (e.g. from a class list). Their first Clever sign-in
 * with this email links it, and keeps what was set here.
 */
import { readConfig } from './config.ts';
import { openDatabase } from './database.ts';
import { inviteUser } from './users.ts';

const [email, ...name] = process.argv.slice(2);
if (!email || !email.includes('@')) {
  process.stderr.write('usage: npm run invite -- EMAIL [PREFERRED NAME]\n');
  process.exit(2);
}
const db = openDatabase(readConfig({ HALLPASS_URL: 'http://unused', HALLPASS_API_KEY: '-', HALLPASS_CLIENT_ID: '-', ...process.env }).databaseFile);
try {
  const user = inviteUser(db, { email, preferredName: name.join(' ') || null }, Date.now());
  process.stdout.write(`Account ${user.id} created for ${email}; it links at their first Clever sign-in.\n`);
} catch (err) {
  process.stderr.write(`Could not create it: ${(err as Error).message} (an account not yet linked to Clever already has this email?)\n`);
  process.exitCode = 1;
} finally {
  db.close();
}
