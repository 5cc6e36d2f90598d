import { randomUUID, createHash } from 'node:crypto';

/**
 * Redis keys of per-session data, shared by the gateway and the audio worker. Every key of one
 * session carries the `{<session id>}` hash tag, so scripts over them stay on one Redis Cluster slot.
 * These are wire names: changing one strands live sessions.
 */
export const DEFAULT_KEY_PREFIX = 'lt';

export function sessionKeys(prefix: string, sessionId: string) {
  const base = `${prefix}:session:{${sessionId}}`;
  return {
    /** Hash: tenant, status, options, counters. */
    meta: base,
    /** Stream: the ordered event log clients read. */
    events: `${base}:events`,
    /** Hash: result slot (`t:<seq>`, `x:<seq>:<lang>`) → event-log entry id, for append-once. */
    results: `${base}:results`,
    /** A chunk's audio bytes. */
    chunkAudio: (seq: number) => `${base}:audio:${seq}`,
  };
}

/** Per-tenant set of open sessions (the open-session limit). */
export function tenantOpenSessionsKey(prefix: string, tenantId: string): string {
  return `${prefix}:tenant:{${tenantId}}:open-sessions`;
}

export function newSessionId(): string {
  return randomUUID();
}

/**
 * A stable event id for a result slot, so a result published twice (a redelivered chunk) carries
 * the same `event_id` and consumers drop the copy.
 */
export function resultEventId(sessionId: string, slot: string): string {
  const hex = createHash('sha256').update(`${sessionId}\u0000${slot}`).digest('hex');
  // Shaped as a version-8 UUID (RFC 9562 "custom").
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Redis keys of a tenant's bots. Every key carries the `{<tenant id>}` hash tag, so creating a bot
 * (dedupe by meeting, per-tenant cap) and moving it between states are single-slot scripts.
 * These are wire names: changing one strands live bots.
 */
export function tenantBotKeys(prefix: string, tenantId: string) {
  const base = `${prefix}:tenant:{${tenantId}}`;
  return {
    /** Sorted set: bot id → creation time (ms), for listing. */
    index: `${base}:bots`,
    /** Hash: meeting URL → id of the tenant's live (non-terminal) bot in it. */
    live: `${base}:bots-live`,
    /** Hash: the bot's record. */
    bot: (botId: string) => `${base}:bot:${botId}`,
    /** List: the bot's transitions, oldest first (JSON). */
    transitions: (botId: string) => `${base}:bot:${botId}:transitions`,
  };
}
