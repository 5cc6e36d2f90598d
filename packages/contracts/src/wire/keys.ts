import { randomUUID, createHash } from 'node:crypto';
import type { QueueName } from './streams.js';

/**
 * Redis keys of per-session data, shared by the gateway and the audio worker. Every key of one
 * session carries the `{<session id>}` hash tag, so scripts over them stay on one Redis Cluster slot.
 * These are wire names: changing one strands live sessions.
 */
export const DEFAULT_KEY_PREFIX = 'lt';

/**
 * Fields of a session's record hash (`sessionKeys().meta`) that more than the gateway reads: the
 * worker and the completion check count chunks against them.
 */
export const SESSION_FIELDS = {
  status: 'status',
  /** The session's options as JSON (languages, chunking, its webhook_url). */
  options: 'options',
  /** Chunks accepted so far; final once the status is `ended`. */
  nextSeq: 'next_seq',
  /** Audio accepted so far, in ms of the session timeline. */
  timelineMs: 'timeline_ms',
  /** Chunks whose processing is over (results or ProcessingFailed), and of those the failed ones. */
  chunksDone: 'chunks_done',
  chunksFailed: 'chunks_failed',
  /**
   * Present while something besides chunks must reach the log before the session completes: a
   * meeting bot's final status (it follows the end of its input). Removed by the holder.
   */
  completionHold: 'completion_hold',
  /** `chunk:<seq>` → the AudioChunkReceived payload (JSON) of a chunk published and not yet finished. */
  inFlightChunk: (seq: number) => `chunk:${seq}`,
} as const;

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
    /** The newest draft's audio (the chunk being recorded, so far), overwritten by the next. */
    draftAudio: `${base}:draft`,
    /** Set: the replicas (instance ids) holding a live audio input of the session. */
    inputs: `${base}:inputs`,
    /** List: the replicas that flushed their inputs for one end request. */
    flushed: (requestId: string) => `${base}:flushed:${requestId}`,
    /** Hash: event id → its webhook delivery (JSON), for the session's delivery log. */
    webhooks: `${base}:webhooks`,
  };
}

/** Sorted set: a tenant's sessions, id → creation time (ms), for listing (expired ones pruned as met). */
export function tenantSessionsKey(prefix: string, tenantId: string): string {
  return `${prefix}:tenant:{${tenantId}}:sessions`;
}

/** Per-tenant set of open sessions (the open-session limit). */
export function tenantOpenSessionsKey(prefix: string, tenantId: string): string {
  return `${prefix}:tenant:{${tenantId}}:open-sessions`;
}

/**
 * BullMQ key prefix of one queue: under the app's key prefix, and hash-tagged with the queue's
 * name so every key of the queue (and every script BullMQ runs on it) stays on one cluster slot.
 */
export function queueKeyPrefix(keyPrefix: string, queue: QueueName): string {
  return `${keyPrefix}:bull:{${queue}}`;
}

/** The list of a queue's waiting jobs (what an autoscaler watches). */
export function queueWaitingKey(keyPrefix: string, queue: QueueName): string {
  return `${queueKeyPrefix(keyPrefix, queue)}:${queue}:wait`;
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

/** Set of tenants that have ever had a bot: how the monitoring-worker finds every tenant's live bots. */
export function botTenantsKey(prefix: string): string {
  return `${prefix}:bots:tenants`;
}

/**
 * Keys of the service registry and the monitoring-worker's state. Apps write their heartbeat to the
 * registry; the monitoring-worker owns the rest and the gateway's /api/system endpoints read it.
 */
export function monitoringKeys(prefix: string) {
  // One hash tag: the state is small, and steps that touch several keys stay on one Cluster slot.
  const base = `${prefix}:{monitoring}`;
  return {
    /** Hash: `<app>/<instance>` → JSON heartbeat (app, instance, url, started_at, heartbeat_at). */
    services: `${base}:services`,
    /** Hash: subject (service name) → JSON health state. */
    health: `${base}:health`,
    /** String: JSON of the last round's stream and group figures. */
    streams: `${base}:streams`,
    /** Hash: anomaly id → JSON of the active anomaly (with the round-to-round memory it needs). */
    activeAlerts: `${base}:alerts:active`,
    /** List: the last alerts raised or resolved, newest first (JSON). */
    recentAlerts: `${base}:alerts:recent`,
    /** Hash: condition id → JSON memory between rounds (lag history, DLQ depth). */
    memory: `${base}:memory`,
    /** Hash: `<window start ms>|<tenant>|<counter>` → count, for the open usage windows. */
    usageCounters: `${base}:usage:counters`,
    /** Set: `<tenant>|<session>` members of one window, to count distinct sessions. */
    usageSessions: (windowStartMs: number) => `${base}:usage:sessions:${windowStartMs}`,
    /** List: the published UsageMetrics payloads, newest first (JSON). */
    usageReports: `${base}:usage:reports`,
    /** String: when the round last ran (ISO), for the gateway's overall view. */
    lastRound: `${base}:last-round`,
  };
}

/**
 * The partition (0…partitions-1) a session belongs to: its audio-ingest stream and its live
 * fan-out stream. Stable for the session's life and the same in every service (FNV-1a of the id).
 */
export function sessionPartition(sessionId: string, partitions: number): number {
  if (partitions <= 1) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < sessionId.length; i++) {
    hash ^= sessionId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % partitions;
}

/**
 * The live fan-out stream of one partition: every append to a session log of that partition is
 * repeated here (session id, log entry id, the id before it, the event), so a gateway replica
 * follows all its clients' sessions with one blocking read per partition, on a cluster too (a
 * multi-key XREAD over session logs on different slots is refused there). Each partition carries
 * its own hash tag, so partitions spread over the cluster's nodes.
 */
export function sessionLiveStreamKey(prefix: string, partition: number): string {
  return `${prefix}:session-live:{p${partition}}`;
}

/** Entries kept per live fan-out stream (approximate trim on append); catch-up reads the logs. */
export const SESSION_LIVE_MAX_ENTRIES = 10_000;

/** Fields of a live fan-out entry besides the envelope's `data`. */
export const SESSION_LIVE_FIELDS = { session: 's', id: 'i', previous: 'p' } as const;

/**
 * Pub/sub channel on which a replica ending a session asks the replicas holding its live inputs to
 * flush their buffered audio first (a WebSocket may live on another replica than the DELETE).
 */
export function liveInputFlushChannel(prefix: string): string {
  return `${prefix}:live-input-flush`;
}
