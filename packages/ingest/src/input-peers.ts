import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { liveInputFlushChannel, sessionKeys } from '@livetranslate/contracts';
import { closeRedis, ManagedRedis, type RedisClient } from '@livetranslate/redis-streams';
import { randomUUID } from 'node:crypto';
import { INGEST_SETTINGS, type IngestSettings } from './ingest-settings.js';
import type { FlushMode } from './live-inputs.js';

/** Whether this replica held inputs of the session (and has flushed them). */
export type LocalFlush = (sessionId: string, mode: FlushMode) => Promise<boolean>;

/** The other replicas holding live inputs of a session, and how to make them flush. */
export interface InputPeers {
  /** This replica now holds (or no longer holds) an input of the session. */
  hold(sessionId: string): void;
  release(sessionId: string): void;
  /** Asks every other holder to flush, and waits until each has (or a timeout). */
  flushElsewhere(sessionId: string, mode: FlushMode): Promise<void>;
  /** What this replica does when another asks it to flush. */
  answerWith(flush: LocalFlush): void;
}

export const INPUT_PEERS = Symbol('INPUT_PEERS');

/** How long an end waits for other replicas to flush their inputs before ending anyway. */
const REMOTE_FLUSH_TIMEOUT_MS = 3_000;

interface FlushRequest {
  session: string;
  request: string;
  /** Absent from replicas older than hand-over flushes: those only ever asked for a final one. */
  mode?: FlushMode;
}

/**
 * Input holders in Redis: a set per session of the replicas holding one of its inputs, and a
 * pub/sub channel on which an end asks them to flush; each answers on a list for that request. A
 * replica that died holding an input never answers: the end goes on after a short timeout.
 */
@Injectable()
export class RedisInputPeers implements InputPeers, OnApplicationShutdown {
  private readonly logger = new Logger(RedisInputPeers.name);
  private readonly instance = randomUUID();
  private answer: LocalFlush = async () => false;
  private subscriber?: RedisClient;

  constructor(
    @Inject(INGEST_SETTINGS) private readonly settings: IngestSettings,
    private readonly connection: ManagedRedis,
  ) {}

  answerWith(flush: LocalFlush): void {
    this.answer = flush;
  }

  hold(sessionId: string): void {
    this.listen();
    const holders = this.keys(sessionId).inputs;
    void this.connection.redis
      .sadd(holders, this.instance)
      .then(() => this.connection.redis.expire(holders, this.settings.sessionTtlSeconds))
      .catch((error: Error) =>
        this.logger.warn(`recording the input of ${sessionId} failed: ${error.message}`),
      );
  }

  release(sessionId: string): void {
    void this.connection.redis.srem(this.keys(sessionId).inputs, this.instance).catch(() => undefined);
  }

  async flushElsewhere(sessionId: string, mode: FlushMode): Promise<void> {
    const holders = (await this.connection.redis.smembers(this.keys(sessionId).inputs)).filter(
      (holder) => holder !== this.instance,
    );
    if (holders.length === 0) return;
    const request = randomUUID();
    const message: FlushRequest = { session: sessionId, request, mode };
    await this.connection.redis.publish(
      liveInputFlushChannel(this.settings.keyPrefix),
      JSON.stringify(message),
    );
    const flushed = this.keys(sessionId).flushed(request);
    const deadline = Date.now() + REMOTE_FLUSH_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const done = await this.connection.redis.lrange(flushed, 0, -1);
      if (holders.every((holder) => done.includes(holder))) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    this.logger.warn(`ending ${sessionId} without a flush from replicas that did not answer`);
  }

  /** Subscribes once, the first time this replica holds an input. */
  private listen(): void {
    if (this.subscriber) return;
    this.subscriber = this.connection.open(`live-input-flush:${this.instance}`);
    this.subscriber.on('message', (_channel: string, raw: string) => void this.onRequest(raw));
    this.subscriber
      .subscribe(liveInputFlushChannel(this.settings.keyPrefix))
      .catch((error: Error) => this.logger.warn(`flush requests unavailable: ${error.message}`));
  }

  private async onRequest(raw: string): Promise<void> {
    let message: FlushRequest;
    try {
      message = JSON.parse(raw) as FlushRequest;
    } catch {
      return;
    }
    let held = false;
    try {
      held = await this.answer(message.session, message.mode === 'handover' ? 'handover' : 'final');
    } finally {
      if (held) {
        const flushed = this.keys(message.session).flushed(message.request);
        await this.connection.redis
          .rpush(flushed, this.instance)
          .then(() => this.connection.redis.expire(flushed, 60))
          .catch(() => undefined);
      }
    }
  }

  private keys(sessionId: string) {
    return sessionKeys(this.settings.keyPrefix, sessionId);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.subscriber) await closeRedis(this.subscriber);
  }
}
