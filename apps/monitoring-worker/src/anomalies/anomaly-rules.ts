import { ANOMALY_KINDS, type AnomalySeverity } from '@livetranslate/contracts';
import type { BotRecord, ServiceHealthState, StreamFigures } from '@livetranslate/session-store';
import type { RedisFigures } from '../health/service-checks.js';

/** A condition that holds this round; raised as an anomaly until it no longer holds. */
export interface Condition {
  anomaly_id: string;
  kind: string;
  severity: AnomalySeverity;
  subject: string;
  message: string;
  value?: number;
  threshold?: number;
}

export interface RuleLimits {
  lagGrowthRounds: number;
  dlqQuietRounds: number;
  stuckConsumerMs: number;
  botOwnerTimeoutMs: number;
  redisMemoryRatio: number;
}

export interface Observations {
  now: number;
  health: readonly ServiceHealthState[];
  streams: readonly StreamFigures[];
  redis: RedisFigures | null;
  liveBots: readonly BotRecord[];
}

/** What a rule remembers between rounds, per subject. */
export interface RuleMemory {
  /** A group's lag over the last rounds, oldest first. */
  lags?: number[];
  /** A count that should not grow (dead letters, entries lost to trimming) last round, and rounds since it grew. */
  count?: number;
  quiet?: number;
}

const id = (kind: string, subject: string) => `${kind}:${subject}`;

/**
 * A count that should never grow: holds when it grew since last round (its first sight is the
 * baseline), and while raised until it has stayed put for `quietRounds` rounds. Returns the
 * previous count, or null when the condition does not hold.
 */
function growth(
  key: string,
  count: number,
  anomaly: string,
  state: {
    memory: ReadonlyMap<string, RuleMemory>;
    next: Map<string, RuleMemory>;
    active: ReadonlySet<string>;
  },
  quietRounds: number,
): number | null {
  const before = state.memory.get(key);
  const grew = before?.count !== undefined && count > before.count;
  const quiet = grew ? 0 : (before?.quiet ?? quietRounds) + 1;
  state.next.set(key, { count, quiet });
  return grew || (state.active.has(anomaly) && quiet < quietRounds) ? (before?.count ?? 0) : null;
}

/**
 * Every anomaly rule, as one pure function of this round's observations, the rules' memory and
 * the anomalies active now (some clear on a different condition than the one that raised them).
 */
export function evaluate(
  o: Observations,
  memory: ReadonlyMap<string, RuleMemory>,
  active: ReadonlySet<string>,
  limits: RuleLimits,
): { conditions: Condition[]; memory: Map<string, RuleMemory> } {
  const conditions: Condition[] = [];
  const next = new Map<string, RuleMemory>();

  for (const state of o.health) {
    const anomaly = id(ANOMALY_KINDS.serviceDown, state.service);
    // Raised when unhealthy; held through `recovering` until the service is trusted again.
    if (state.status === 'unhealthy' || (state.status === 'recovering' && active.has(anomaly)))
      conditions.push({
        anomaly_id: anomaly,
        kind: ANOMALY_KINDS.serviceDown,
        severity: 'critical',
        subject: state.service,
        message: `${state.service} is ${state.status}: ${state.error ?? 'recovering'}`,
        value: state.streak,
        threshold: 0,
      });
  }

  for (const stream of o.streams) {
    const counts = { memory, next, active };
    const dlqAnomaly = id(ANOMALY_KINDS.deadLetters, stream.stream);
    const dlqBefore = growth(
      `dlq|${stream.stream}`,
      stream.dlq_depth,
      dlqAnomaly,
      counts,
      limits.dlqQuietRounds,
    );
    if (dlqBefore !== null)
      conditions.push({
        anomaly_id: dlqAnomaly,
        kind: ANOMALY_KINDS.deadLetters,
        severity: 'warning',
        subject: stream.stream,
        message: `${stream.stream} dead-lettered entries: ${stream.dlq_depth} in its DLQ`,
        value: stream.dlq_depth,
        threshold: dlqBefore,
      });

    for (const group of stream.groups) {
      const subject = `${stream.stream}/${group.group}`;
      // Entries trimmed before this group read them: raised when the count grows, like dead letters.
      const lostAnomaly = id(ANOMALY_KINDS.streamTruncated, subject);
      const lostBefore = growth(
        `lost|${subject}`,
        group.trimmed_unread,
        lostAnomaly,
        counts,
        limits.dlqQuietRounds,
      );
      if (lostBefore !== null)
        conditions.push({
          anomaly_id: lostAnomaly,
          kind: ANOMALY_KINDS.streamTruncated,
          severity: 'critical',
          subject,
          message: `${group.trimmed_unread} entries of ${stream.stream} were trimmed before group ${group.group} read them (a publisher trimming a shared stream by length?)`,
          value: group.trimmed_unread,
          threshold: lostBefore,
        });
      if (group.lag !== null) {
        const lagKey = `lag|${subject}`;
        const lags = [...(memory.get(lagKey)?.lags ?? []), group.lag].slice(-(limits.lagGrowthRounds + 1));
        next.set(lagKey, { lags });
        const growing =
          lags.length === limits.lagGrowthRounds + 1 && lags.every((lag, i) => i === 0 || lag > lags[i - 1]!);
        const lagAnomaly = id(ANOMALY_KINDS.streamLag, subject);
        // Raised after K rounds of growth; cleared once the group has caught up.
        if (growing || (active.has(lagAnomaly) && group.lag > 0))
          conditions.push({
            anomaly_id: lagAnomaly,
            kind: ANOMALY_KINDS.streamLag,
            severity: 'warning',
            subject,
            message: `group ${group.group} on ${stream.stream} is ${group.lag} entries behind and was falling further behind`,
            value: group.lag,
            threshold: 0,
          });
      }
      for (const consumer of group.consumers) {
        const age = consumer.last_ack_age_ms;
        if (consumer.pending > 0 && age !== null && age > limits.stuckConsumerMs)
          conditions.push({
            anomaly_id: id(ANOMALY_KINDS.consumerStuck, `${subject}/${consumer.name}`),
            kind: ANOMALY_KINDS.consumerStuck,
            severity: 'critical',
            subject: `${subject}/${consumer.name}`,
            message: `consumer ${consumer.name} holds ${consumer.pending} pending entries of ${stream.stream} and has acknowledged nothing for ${Math.round(age / 1000)} s`,
            value: age,
            threshold: limits.stuckConsumerMs,
          });
      }
    }
  }

  if (o.redis && o.redis.maxmemory > 0) {
    const ratio = o.redis.used_memory / o.redis.maxmemory;
    if (ratio >= limits.redisMemoryRatio)
      conditions.push({
        anomaly_id: id(ANOMALY_KINDS.redisMemory, 'redis'),
        kind: ANOMALY_KINDS.redisMemory,
        severity: 'critical',
        subject: 'redis',
        message: `Redis uses ${Math.round(ratio * 100)} % of maxmemory`,
        value: ratio,
        threshold: limits.redisMemoryRatio,
      });
  }

  for (const bot of o.liveBots) {
    if (bot.status !== 'active' && bot.status !== 'leaving') continue;
    const beat = bot.heartbeatAt ? Date.parse(bot.heartbeatAt) : Date.parse(bot.updatedAt);
    const silent = o.now - beat;
    if (silent > limits.botOwnerTimeoutMs)
      conditions.push({
        anomaly_id: id(ANOMALY_KINDS.botOrphaned, bot.id),
        kind: ANOMALY_KINDS.botOrphaned,
        severity: 'warning',
        subject: bot.id,
        message: `bot ${bot.id} (tenant ${bot.tenantId}) is ${bot.status} but no worker has renewed it for ${Math.round(silent / 1000)} s`,
        value: silent,
        threshold: limits.botOwnerTimeoutMs,
      });
  }

  return { conditions, memory: next };
}
