/**
 * CPU and memory figures read from Linux's /proc, for processes other than
 * this one (the broker, the sandbox, PostgreSQL backends) and for the whole
 * machine. Reads are synchronous so a sample of several processes is taken
 * at one instant, between two turns of the load generator's event loop.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second, the unit of /proc CPU times (normally 100). */
export const clockTicks: number = (() => {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU seconds a process has used so far in user and in kernel mode (all its
 * threads), or undefined when it has exited.
 */
export function processCpuSeconds(pid: number): { user: number; system: number } | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may contain spaces and parentheses: split after its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields from 3 on: utime is field 14, stime field 15 (proc(5)).
  return { user: Number(fields[11]) / clockTicks, system: Number(fields[12]) / clockTicks };
}

/**
 * Scheduler figures of a process's main thread (for Node, the event loop), in
 * seconds: time on a CPU and time runnable but waiting for one.
 */
export function mainThreadSchedule(pid: number): { onCpu: number; waiting: number } {
  const [onCpu = NaN, waiting = NaN] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(' ').map(Number);
  return { onCpu: onCpu / 1e9, waiting: waiting / 1e9 };
}

/** Resident memory of a process now and at its peak, in bytes. */
export function processMemory(pid: number): { rssBytes: number; peakRssBytes: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rssBytes: kib('VmRSS'), peakRssBytes: kib('VmHWM') };
}

/** CPU seconds the whole machine has been busy so far, all cores together, from /proc/stat. */
export function machineBusyCpuSeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  // cpu user nice system idle iowait irq softirq steal …; guest time is already in user. Idle and iowait are not busy.
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1, 9).map(Number) as number[];
  return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / clockTicks;
}
