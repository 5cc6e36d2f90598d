import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

/**
 * A process's CPU time so far (user + system), in ms, from /proc (Linux): what the benches divide
 * by chunks, events or seconds. Throws when the process is gone.
 */
export function processCpuMs(pid: number): number {
  // /proc counts in clock ticks (USER_HZ, 100 on common kernels).
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
}
