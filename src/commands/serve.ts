/** `hallpass serve`: the broker alone, configured by environment variables. */
import { closeOnSignals, listenBroker, openBroker } from '../start-broker.ts';

export async function serve(): Promise<void> {
  const ctx = await openBroker();
  let broker;
  try {
    broker = await listenBroker(ctx);
  } catch (err) {
    await ctx.store.close();
    throw err;
  }
  closeOnSignals([() => broker.close()], [() => ctx.store.close()], ctx.config.shutdownGraceMs, ctx.logger);
  const settings = await ctx.store.settings.get();
  const metrics = broker.metricsUrl ? `; metrics at ${broker.metricsUrl}/metrics` : '';
  process.stdout.write(`Hallpass listening at ${ctx.config.publicUrl} (client ID ${settings.clientId}, ${ctx.store.dialect}${metrics})\n`);
}
