/** The bench's figures as Markdown, with the issue's targets checked. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { WindowFigures } from './measure.ts';

/** Issue 3's targets, on a 2-core machine that also runs the IdP and the load generator. */
const TARGETS = { loginsPerSecond: 500, brokerCpuMsPerLogin: 0.6 };

export function formatMachine(cores: number, repoRoot: string): string {
  const model = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown CPU';
  return `Machine: ${cores} cores (${model}), Node ${process.version}; code at ${codeVersion(repoRoot)}; ${new Date().toISOString()}`;
}

/** The commit measured, marked when src/ has uncommitted changes. */
function codeVersion(repoRoot: string): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).trim();
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--', 'src') ? ' + uncommitted changes in src/' : ''}`;
  } catch {
    return 'an unknown commit';
  }
}

/** One row per concurrency; the best throughput in bold. */
export function formatFigures(windows: WindowFigures[]): string {
  const best = bestWindow(windows);
  const f = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
  const rows = windows.map((w) => {
    const cells = [
      String(w.concurrency),
      f(w.loginsPerSecond),
      `${f(w.brokerCpuMsPerLogin, 3)} (${f(w.brokerSystemPercent)} % kernel)`,
      f(w.sandboxCpuMsPerLogin, 3),
      f(w.loadgenCpuMsPerLogin, 3),
      f(w.databaseCpuMsPerLogin, 3),
      `${f(w.brokerCores, 2)} / ${f(w.sandboxCores, 2)} / ${f(w.loadgenCores, 2)} / ${f(w.databaseCores, 2)} / ${f(w.otherCores, 2)}`,
      `${f(w.brokerLoopOnCpuPercent)} / ${f(w.brokerLoopWaitingPercent)}`,
      f(w.p50Ms, 1),
      f(w.p99Ms, 1),
      `${w.logins} / ${w.errors}`,
      `${f(w.brokerRssMiB)} (${f(w.brokerPeakRssMiB)})`,
    ];
    return `| ${(w === best ? cells.map((c) => `**${c}**`) : cells).join(' | ')} |`;
  });
  return [
    '| users | logins/s | broker CPU ms/login (kernel share) | sandbox CPU ms/login | loadgen CPU ms/login | PostgreSQL CPU ms/login | cores busy: broker / sandbox / loadgen / PostgreSQL / other | broker event loop % on CPU / waiting for CPU | p50 ms | p99 ms | logins / errors | broker RSS MiB (peak) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
}

function bestWindow(windows: WindowFigures[]): WindowFigures | undefined {
  return windows.reduce<WindowFigures | undefined>((best, w) => (!best || w.loginsPerSecond > best.loginsPerSecond ? w : best), undefined);
}

export function formatTargets(windows: WindowFigures[]): string {
  const best = bestWindow(windows);
  if (!best) return '';
  const mark = (met: boolean) => (met ? 'MET' : 'NOT MET');
  const errors = windows.flatMap((w) => w.errorKinds.map((e) => `${e.kind} ×${e.count} at ${w.concurrency} users (e.g. ${e.example})`));
  return [
    `Best concurrency: ${best.concurrency} users.`,
    `- ≥ ${TARGETS.loginsPerSecond} logins/s: ${mark(best.loginsPerSecond >= TARGETS.loginsPerSecond)} (${best.loginsPerSecond.toFixed(0)})`,
    `- ≤ ${TARGETS.brokerCpuMsPerLogin} ms broker CPU per login: ${mark(best.brokerCpuMsPerLogin <= TARGETS.brokerCpuMsPerLogin)} (${best.brokerCpuMsPerLogin.toFixed(3)} ms)`,
    ...(errors.length ? ['', 'Errors (whole run, warm-up included):', ...errors.map((e) => `- ${e}`)] : []),
  ].join('\n');
}
