import { SESSION_DEFAULTS, type SessionRecord } from '@livetranslate/ingest';

/** A session record for unit tests: open, tenant `acme`, default options. */
export function sessionRecord(overrides: Partial<SessionRecord> = {}): SessionRecord {
  return {
    id: 's-1',
    tenantId: 'acme',
    status: 'open',
    createdAt: '2026-01-01T00:00:00.000Z',
    options: { ...SESSION_DEFAULTS, target_languages: [] },
    chunks: 0,
    origin: 'client',
    timelineMs: 0,
    pendingOverlapMs: 0,
    chunksDone: 0,
    chunksFailed: 0,
    ...overrides,
  };
}
