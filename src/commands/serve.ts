/** `hallpass serve`: the broker alone, configured by environment variables. */
import { closeOnSignals, listenBroker, openBroker } from '../start-broker.ts';

export async function serve(): Promise<void> {
  const ctx = await openBroker();
  const app = await listenBroker(ctx);
  const settings = await ctx.store.settings.get();
  process.stdout.write(`Hallpass listening at ${ctx.config.publicUrl} (client ID ${settings.clientId}, ${ctx.store.dialect})\n`);
  closeOnSignals([() => app.close(), () => ctx.store.close()]);
}
