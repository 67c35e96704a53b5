/**
 * A measured window: CPU of every process involved and the load's counters,
 * sampled at its start and end, turned into per-login figures.
 */
import { performance } from 'node:perf_hooks';
import type { LoadCounters } from './load.ts';
import { machineBusyCpuSeconds, mainThreadSchedule, processCpuSeconds, processMemory } from './proc-stats.ts';
import type { ServerProcess } from './processes.ts';
import type { Stack } from './stack.ts';

export interface Sample {
  wallMs: number;
  /** CLOCK_MONOTONIC in µs, the clock of V8's CPU profiles (to cut a profile to this window). */
  monotonicUs: number;
  /** Broker CPU seconds, and the part in kernel mode (socket I/O, mostly). */
  brokerCpu: number;
  brokerSystemCpu: number;
  brokerLoop: { onCpu: number; waiting: number };
  sandboxCpu: number;
  loadgenCpu: number;
  /** CPU seconds per PostgreSQL backend serving the bench database. */
  databaseCpu: Map<number, number>;
  machineBusyCpu: number;
  logins: number;
  errors: number;
}

/** Reads everything at one instant (the reads are synchronous, after the async PID lookup). */
export async function takeSample(stack: Stack, counters: () => LoadCounters): Promise<Sample> {
  const pids = await stack.databaseBackendPids();
  const cpu = (server: ServerProcess) => {
    const seconds = processCpuSeconds(server.pid);
    if (seconds === undefined) throw new Error(`the ${server.name} exited during the run:\n${server.output()}`);
    return seconds;
  };
  const databaseCpu = new Map<number, number>();
  for (const pid of pids) {
    const seconds = processCpuSeconds(pid);
    if (seconds !== undefined) databaseCpu.set(pid, seconds.user + seconds.system);
  }
  const broker = cpu(stack.broker);
  const sandbox = cpu(stack.sandbox);
  const { user, system } = process.cpuUsage();
  const { logins, errors } = counters();
  return {
    wallMs: performance.now(),
    monotonicUs: Number(process.hrtime.bigint() / 1000n),
    brokerCpu: broker.user + broker.system,
    brokerSystemCpu: broker.system,
    brokerLoop: mainThreadSchedule(stack.broker.pid),
    sandboxCpu: sandbox.user + sandbox.system,
    loadgenCpu: (user + system) / 1e6,
    databaseCpu,
    machineBusyCpu: machineBusyCpuSeconds(),
    logins,
    errors,
  };
}

export interface WindowFigures {
  concurrency: number;
  seconds: number;
  logins: number;
  loginsPerSecond: number;
  errors: number;
  /** CPU milliseconds per login, by process. */
  brokerCpuMsPerLogin: number;
  /** Share of the broker's CPU spent in the kernel. */
  brokerSystemPercent: number;
  sandboxCpuMsPerLogin: number;
  loadgenCpuMsPerLogin: number;
  /** PostgreSQL backends serving the bench database (0 on SQLite, where the database is inside the broker). */
  databaseCpuMsPerLogin: number;
  /**
   * Share of the wall time the broker's event-loop thread was on a CPU, and
   * runnable but waiting for one (the machine's other processes had the cores).
   */
  brokerLoopOnCpuPercent: number;
  brokerLoopWaitingPercent: number;
  /** Cores each process kept busy on average. */
  brokerCores: number;
  sandboxCores: number;
  loadgenCores: number;
  databaseCores: number;
  /** All cores busy on the machine, and the part used by processes outside the bench (other work on the machine). */
  machineBusyCores: number;
  otherCores: number;
  p50Ms: number;
  p99Ms: number;
  brokerRssMiB: number;
  brokerPeakRssMiB: number;
  errorKinds: Array<{ kind: string; count: number; example: string }>;
  /** The window on the monotonic clock, µs. */
  monotonicUs: [number, number];
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function windowFigures(stack: Stack, concurrency: number, a: Sample, b: Sample, counters: LoadCounters): WindowFigures {
  const seconds = (b.wallMs - a.wallMs) / 1000;
  const logins = b.logins - a.logins;
  const perLogin = (cpuSeconds: number) => (logins > 0 ? (cpuSeconds * 1000) / logins : NaN);
  let databaseCpu = 0;
  for (const [pid, end] of b.databaseCpu) databaseCpu += end - (a.databaseCpu.get(pid) ?? 0);
  const broker = b.brokerCpu - a.brokerCpu;
  const sandbox = b.sandboxCpu - a.sandboxCpu;
  const loadgen = b.loadgenCpu - a.loadgenCpu;
  const machineBusy = b.machineBusyCpu - a.machineBusyCpu;
  const latencies = counters.latenciesMs.slice(a.logins, b.logins).sort((x, y) => x - y);
  const memory = processMemory(stack.broker.pid);
  const mib = (bytes: number) => bytes / 2 ** 20;
  return {
    concurrency,
    seconds,
    logins,
    loginsPerSecond: logins / seconds,
    errors: b.errors - a.errors,
    brokerCpuMsPerLogin: perLogin(broker),
    brokerSystemPercent: broker > 0 ? ((b.brokerSystemCpu - a.brokerSystemCpu) / broker) * 100 : NaN,
    sandboxCpuMsPerLogin: perLogin(sandbox),
    loadgenCpuMsPerLogin: perLogin(loadgen),
    databaseCpuMsPerLogin: perLogin(databaseCpu),
    brokerLoopOnCpuPercent: ((b.brokerLoop.onCpu - a.brokerLoop.onCpu) / seconds) * 100,
    brokerLoopWaitingPercent: ((b.brokerLoop.waiting - a.brokerLoop.waiting) / seconds) * 100,
    brokerCores: broker / seconds,
    sandboxCores: sandbox / seconds,
    loadgenCores: loadgen / seconds,
    databaseCores: databaseCpu / seconds,
    machineBusyCores: machineBusy / seconds,
    otherCores: Math.max(0, machineBusy - broker - sandbox - loadgen - databaseCpu) / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    brokerRssMiB: mib(memory.rssBytes),
    brokerPeakRssMiB: mib(memory.peakRssBytes),
    errorKinds: [...counters.errorKinds].map(([kind, { count, example }]) => ({ kind, count, example })),
    monotonicUs: [a.monotonicUs, b.monotonicUs],
  };
}
