/**
 * Summarizes a V8 `.cpuprofile` (from `node --cpu-prof`): where CPU time went
 * within given windows, by function and by package, self and inclusive.
 *
 * Packages: `node_modules/<name>`, Node's own modules (`node:http`,
 * `node:streams`, …), our code by folder (`src/sso`, `src/store/sqlite`, …),
 * and V8's pseudo-frames (`(garbage collector)`, `(program)`: native work not
 * attributed to a JS function). Built-ins without a script (JSON.parse, a
 * RegExp, crypto and SQLite bindings) count toward the package that called
 * them, so `node:sqlite`'s `StatementSync#all` lands in `src/store/sqlite`.
 * `(idle)` is left out of every share: it is time the process was waiting.
 */
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Row {
  name: string;
  ms: number;
  /** Share of the busy (non-idle) time in the windows. */
  percent: number;
}

export interface ProfileSummary {
  /** Sampled time within the windows, and the part that was not idle. */
  sampledMs: number;
  busyMs: number;
  selfByPackage: Row[];
  selfByFunction: Row[];
  inclusiveByPackage: Row[];
  /** Inclusive time of our own functions (src/…): which protocol steps cost what. */
  inclusiveOwnFunctions: Row[];
}

const PSEUDO_FRAMES = new Set(['(root)', '(program)', '(garbage collector)', '(idle)']);

/** Where a script belongs: a package, a Node module, or a folder of ours. */
function packageOf(url: string, repoRoot: string): string {
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const [scope = '', name = ''] = url.slice(modules + '/node_modules/'.length).split('/');
    return scope.startsWith('@') ? `${scope}/${name}` : scope;
  }
  if (url.startsWith('node:')) {
    // node:internal/streams/readable → node:streams; node:_http_server → node:http
    const [first = ''] = url.slice('node:'.length).replace(/^internal\//, '').split('/');
    return `node:${first.replace(/^_/, '').split('_')[0]}`;
  }
  if (url.startsWith('file://')) {
    const path = relative(repoRoot, fileURLToPath(url));
    const folder = path.split('/').slice(0, -1).join('/');
    return folder || path;
  }
  return url;
}

function shortUrl(url: string, repoRoot: string): string {
  if (url.startsWith('file://')) {
    const path = relative(repoRoot, fileURLToPath(url));
    const modules = path.lastIndexOf('node_modules/');
    return modules >= 0 ? path.slice(modules + 'node_modules/'.length) : path;
  }
  return url;
}

function toRows(totals: Map<string, number>, busyMs: number, limit: number): Row[] {
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, us]) => ({ name, ms: us / 1000, percent: busyMs > 0 ? (us / 1000 / busyMs) * 100 : 0 }));
}

/**
 * @param windows periods to count, in µs on the profile's clock (CLOCK_MONOTONIC,
 *   as `process.hrtime`); samples outside them (start-up, warm-up) are ignored.
 */
export async function summarizeProfile(file: string, windows: Array<[number, number]>, repoRoot: string, limit = 25): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  // Per node: its function's name, its package (natives take their caller's) and whether it is ours.
  const described = new Map<number, { fn: string; pkg: string }>();
  const describe = (id: number): { fn: string; pkg: string } => {
    const known = described.get(id);
    if (known) return known;
    const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
    let result: { fn: string; pkg: string };
    if (PSEUDO_FRAMES.has(functionName)) result = { fn: functionName, pkg: functionName };
    // Files loaded through tsx arrive as one line each, so line 1 says nothing and is left out.
    else if (url) result = { fn: `${functionName || '(anonymous)'} ${shortUrl(url, repoRoot)}${lineNumber > 0 ? `:${lineNumber + 1}` : ''}`, pkg: packageOf(url, repoRoot) };
    else {
      const callerId = parent.get(id);
      const caller = callerId === undefined ? undefined : describe(callerId);
      const pkg = caller && !PSEUDO_FRAMES.has(caller.pkg) ? caller.pkg : '(native)';
      result = { fn: `${functionName || '(anonymous)'} [native, from ${pkg}]`, pkg };
    }
    described.set(id, result);
    return result;
  };

  const selfByPackage = new Map<string, number>();
  const selfByFunction = new Map<string, number>();
  const inclusiveByPackage = new Map<string, number>();
  const inclusiveOwn = new Map<string, number>();
  const add = (totals: Map<string, number>, key: string, us: number) => totals.set(key, (totals.get(key) ?? 0) + us);
  let sampledUs = 0;
  let idleUs = 0;

  const inWindow = (t: number) => windows.some(([start, end]) => t >= start && t < end);
  let t = profile.startTime;
  const times = profile.timeDeltas.map((delta) => (t += delta));
  profile.samples.forEach((id, i) => {
    const at = times[i]!;
    if (!inWindow(at)) return;
    // A sample stands for the time until the next one.
    const us = (times[i + 1] ?? profile.endTime) - at;
    sampledUs += us;
    const self = describe(id);
    if (self.fn === '(idle)') {
      idleUs += us;
      return;
    }
    add(selfByPackage, self.pkg, us);
    add(selfByFunction, self.fn, us);
    const packages = new Set<string>();
    const own = new Set<string>();
    for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) {
      const { fn, pkg } = describe(node);
      if (PSEUDO_FRAMES.has(fn)) continue;
      packages.add(pkg);
      if (pkg.startsWith('src/') && !fn.includes('[native')) own.add(fn);
    }
    for (const pkg of packages) add(inclusiveByPackage, pkg, us);
    for (const fn of own) add(inclusiveOwn, fn, us);
  });

  const busyMs = (sampledUs - idleUs) / 1000;
  return {
    sampledMs: sampledUs / 1000,
    busyMs,
    selfByPackage: toRows(selfByPackage, busyMs, limit),
    selfByFunction: toRows(selfByFunction, busyMs, limit),
    inclusiveByPackage: toRows(inclusiveByPackage, busyMs, limit),
    inclusiveOwnFunctions: toRows(inclusiveOwn, busyMs, limit),
  };
}

/** The summary as Markdown tables. */
export function formatProfileSummary(summary: ProfileSummary, title: string): string {
  const table = (heading: string, rows: Row[]) =>
    [`#### ${heading}`, '', '| | ms | % of busy |', '| --- | ---: | ---: |', ...rows.map((r) => `| \`${r.name.replaceAll('|', '\\|')}\` | ${r.ms.toFixed(0)} | ${r.percent.toFixed(1)} |`), ''].join('\n');
  return [
    `### ${title}`,
    '',
    `Sampled ${summary.sampledMs.toFixed(0)} ms in the measured window, ${summary.busyMs.toFixed(0)} ms of it busy (not idle).`,
    '',
    table('Self time by package', summary.selfByPackage),
    table('Self time by function', summary.selfByFunction),
    table('Inclusive time by package (time with the package anywhere on the stack)', summary.inclusiveByPackage),
    table('Inclusive time of our functions (src/)', summary.inclusiveOwnFunctions),
  ].join('\n');
}
