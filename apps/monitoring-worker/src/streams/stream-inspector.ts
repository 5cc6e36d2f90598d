import { Inject, Injectable } from '@nestjs/common';
import { deadLetterStreamOf } from '@livetranslate/contracts';
import { consumerAcksKey, ManagedRedis } from '@livetranslate/redis-streams';
import { busKeyPrefixOf, ingestStreamsOf, streamNamesOf } from '@livetranslate/service-kit';
import type { GroupFigures, StreamFigures } from '@livetranslate/session-store';
import { MONITORING_ENV, type MonitoringEnv } from '../config/env.js';

type Reply = [Error | null, unknown];

/**
 * Reads every stream's figures in two rounds of commands, however many streams there are: the
 * stream's counters, dead letters and groups first; then per group its consumers, its oldest pending
 * entry and the transport's ack clocks. Each round is sent at once (auto-pipelined, one write per
 * node) as separate commands, not one pipeline: streams live on different slots of a cluster.
 */
@Injectable()
export class StreamInspector {
  constructor(
    @Inject(MONITORING_ENV) private readonly env: MonitoringEnv,
    private readonly connection: ManagedRedis,
  ) {}

  /** The streams of this deployment (the configured names; the audio ingest's partitions). */
  streams(): string[] {
    const { audioIngest: _single, ...others } = streamNamesOf(this.env);
    return [...new Set([...ingestStreamsOf(this.env), ...Object.values(others)])];
  }

  async inspect(streams: readonly string[], now: number): Promise<StreamFigures[]> {
    const redis = this.connection.redis;
    const replies = await Promise.all(
      streams.flatMap((stream) => [
        settle(redis.xinfo('STREAM', stream)),
        settle(redis.xlen(deadLetterStreamOf(stream))),
        settle(redis.xinfo('GROUPS', stream)),
      ]),
    );
    const figures: StreamFigures[] = [];
    const second: Array<Promise<Reply>> = [];
    const busPrefix = busKeyPrefixOf(this.env);
    streams.forEach((stream, i) => {
      const [infoReply, dlqReply, groupsReply] = replies.slice(i * 3, i * 3 + 3) as [Reply, Reply, Reply];
      // XINFO on a stream that does not exist yet fails: nothing to report but its dead letters.
      const info = infoReply[0] ? {} : pairs(infoReply[1] as unknown[]);
      const groups = groupsReply[0] ? [] : (groupsReply[1] as unknown[][]).map(pairs);
      const length = Number(info.length ?? 0);
      const added = Number(info['entries-added'] ?? 0);
      figures.push({
        stream,
        length,
        entries_added: added,
        dlq_depth: Number(dlqReply[1] ?? 0),
        groups: groups.map((g): GroupFigures => {
          const read = numberOrNull(g['entries-read']);
          return {
            group: String(g.name),
            lag: numberOrNull(g.lag),
            pending: Number(g.pending ?? 0),
            entries_read: read,
            // Removed from the stream and never read by the group. This platform trims only behind
            // every group; a publisher trimming by length (MAXLEN) does not. Groups this transport
            // creates have a known read counter; others may not (then 0: unknown).
            trimmed_unread: read === null ? 0 : Math.max(0, added - length - read),
            oldest_pending_age_ms: null,
            consumers: [],
          };
        }),
      });
      for (const g of groups) {
        second.push(
          settle(redis.xinfo('CONSUMERS', stream, String(g.name))),
          settle(redis.xpending(stream, String(g.name))),
          settle(redis.hgetall(consumerAcksKey(busPrefix, stream, String(g.name)))),
        );
      }
    });
    const groupReplies = await Promise.all(second);
    const stale: Array<Promise<unknown>> = [];
    let at = 0;
    for (const stream of figures) {
      for (const group of stream.groups) {
        const [consumersReply, pendingReply, acksReply] = groupReplies.slice(at, at + 3) as [
          Reply,
          Reply,
          Reply,
        ];
        at += 3;
        const summary = pendingReply[1] as [number, string | null, string | null, unknown] | undefined;
        const oldest = summary?.[1];
        group.oldest_pending_age_ms = oldest ? Math.max(0, now - Number(oldest.split('-')[0])) : null;
        const acks = (acksReply[1] ?? {}) as Record<string, string>;
        const consumers = consumersReply[0] ? [] : (consumersReply[1] as unknown[][]).map(pairs);
        group.consumers = consumers.map((c) => {
          const name = String(c.name);
          const lastAck = acks[name];
          return {
            name,
            pending: Number(c.pending ?? 0),
            idle_ms: Number(c.idle ?? 0),
            last_ack_age_ms: lastAck ? Math.max(0, now - Number(lastAck)) : null,
          };
        });
        // Ack clocks of consumers the group no longer has (deleted, renamed pods) are dropped once
        // old: a consumer that just started has a clock before its first read makes it a member.
        const gone = Object.entries(acks)
          .filter(([, at]) => now - Number(at) > this.env.MONITOR_INSTANCE_FORGET_MS)
          .filter(([name]) => !group.consumers.some((c) => c.name === name))
          .map(([name]) => name);
        if (gone.length)
          stale.push(redis.hdel(consumerAcksKey(busPrefix, stream.stream, group.group), ...gone));
      }
    }
    await Promise.all(stale);
    return figures;
  }
}

/** A command's reply or its error, as a pipeline would report it: one failed stream spoils nothing else. */
function settle(reply: Promise<unknown>): Promise<Reply> {
  return reply.then(
    (value): Reply => [null, value],
    (error: Error): Reply => [error, null],
  );
}

function numberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

/** A flat [key, value, key, value…] reply (RESP2) as an object. */
function pairs(flat: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[String(flat[i])] = flat[i + 1];
  return out;
}
