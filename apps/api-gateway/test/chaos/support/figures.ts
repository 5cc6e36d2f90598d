import { appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One row of the fault table: what the clients sent and what came of it. */
export interface Figures {
  scenario: string;
  /** Chunks the gateway acknowledged (stored). */
  sent: number;
  /** Chunks whose transcript reached the client. */
  results: number;
  /** Chunks that ended in an explicit ProcessingFailed. */
  failed: number;
  /** Acknowledged chunks that ended in neither. */
  lost: number;
  /** Results the client received more than once for one chunk and language. */
  duplicated: number;
  /** Entries in the run's dead-letter streams. */
  deadLettered: number;
  /** What else the scenario measured (reconnects, circuit transitions, RSS, …). */
  note?: string;
}

/** The report file the suite's teardown prints as a table (one JSON row per line). */
export const REPORT = process.env.CHAOS_REPORT ?? join(tmpdir(), 'livetranslate-chaos.jsonl');

/** `bench` runs every scenario at full size (the 10-minute soak); the default fits CI. */
export const FULL = process.env.CHAOS_SCALE === 'bench';

export function record(figures: Figures): void {
  appendFileSync(REPORT, `${JSON.stringify(figures)}\n`);
}
