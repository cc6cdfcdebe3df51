// CPU time (user + system) of the browser this process launched, per Chromium process type, read from /proc.
// Linux only: elsewhere `sample()` returns undefined and the report leaves the column out.
// CPU time barely depends on how loaded the machine is, unlike wall-clock throughput, so it shows what a side
// costs even when other jobs make MB/s swing.
import { readdirSync, readFileSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux

interface Proc {
  pid: number;
  ppid: number;
  cpuMs: number;
  type: string;
}

function readProcs(): Proc[] | undefined {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  const procs: Proc[] = [];
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the command name, which is in parentheses and may contain spaces.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const type = /--type=(\S+)/.exec(cmdline)?.[1] ?? 'browser';
      const subtype = /--utility-sub-type=(\S+)/.exec(cmdline)?.[1]?.replace(/^.*\./, '');
      procs.push({
        pid: Number(pid),
        ppid: Number(fields[1]),
        cpuMs: (Number(fields[11]) + Number(fields[12])) * TICK_MS,
        type: subtype ? `${type}:${subtype}` : type,
      });
    } catch {
      // The process ended meanwhile.
    }
  }
  return procs;
}

/** Process type → CPU ms so far, summed over the descendants of this Node process whose command is Chromium. */
export function browserCpu(): Record<string, number> | undefined {
  const procs = readProcs();
  if (!procs) return undefined;
  const children = new Map<number, Proc[]>();
  for (const proc of procs) children.set(proc.ppid, [...(children.get(proc.ppid) ?? []), proc]);
  const totals: Record<string, number> = {};
  const visit = (pid: number, inBrowser: boolean) => {
    for (const child of children.get(pid) ?? []) {
      let isBrowser = inBrowser;
      if (!isBrowser) {
        try {
          isBrowser = /chrom/i.test(readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0')[0] ?? '');
        } catch {
          continue;
        }
      }
      if (isBrowser) totals[child.type] = (totals[child.type] ?? 0) + child.cpuMs;
      visit(child.pid, isBrowser);
    }
  };
  visit(process.pid, false);
  return totals;
}

/** CPU ms per process type spent between two `browserCpu()` readings (processes that ended are not counted). */
export function cpuDelta(before: Record<string, number> | undefined, after: Record<string, number> | undefined) {
  if (!before || !after) return undefined;
  const delta: Record<string, number> = {};
  for (const [type, ms] of Object.entries(after)) delta[type] = Math.max(0, ms - (before[type] ?? 0));
  return delta;
}
