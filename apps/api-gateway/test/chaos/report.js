// The chaos suite's global setup and teardown: start an empty report, print it as a table at the end.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REPORT = process.env.CHAOS_REPORT ?? join(tmpdir(), 'livetranslate-chaos.jsonl');
const COLUMNS = ['scenario', 'sent', 'results', 'failed', 'lost', 'duplicated', 'deadLettered', 'note'];

export function reset() {
  writeFileSync(REPORT, '');
}

export function print() {
  if (!existsSync(REPORT)) return;
  const rows = readFileSync(REPORT, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  const cells = [COLUMNS, ...rows.map((row) => COLUMNS.map((c) => String(row[c] ?? '')))];
  const widths = COLUMNS.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r) => `| ${r.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  const out = [
    line(cells[0]),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...cells.slice(1).map(line),
  ];
  process.stdout.write(
    `\nFault suite (${process.env.CHAOS_SCALE === 'bench' ? 'bench' : 'CI'} size):\n${out.join('\n')}\n\n`,
  );
}
