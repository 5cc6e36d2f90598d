import type { BotRecord, ServiceHealthState, StreamFigures } from '@livetranslate/session-store';
import { evaluate, type Observations, type RuleLimits, type RuleMemory } from './anomaly-rules.js';

const limits: RuleLimits = {
  lagGrowthRounds: 3,
  dlqQuietRounds: 2,
  stuckConsumerMs: 60_000,
  botOwnerTimeoutMs: 30_000,
  redisMemoryRatio: 0.9,
};

function stream(
  lag: number | null,
  dlq = 0,
  consumers: StreamFigures['groups'][number]['consumers'] = [],
  lost = 0,
): StreamFigures {
  return {
    stream: 's',
    length: 10,
    entries_added: 10 + lost,
    dlq_depth: dlq,
    groups: [
      {
        group: 'g',
        lag,
        pending: 0,
        entries_read: 0,
        trimmed_unread: lost,
        oldest_pending_age_ms: null,
        consumers,
      },
    ],
  };
}

function observe(overrides: Partial<Observations>): Observations {
  return { now: 1_000_000, health: [], streams: [], redis: null, liveBots: [], ...overrides };
}

/** Runs rounds in order, carrying memory and active anomalies as the worker does; ids active after each. */
function rounds(observations: Observations[]): string[][] {
  let memory = new Map<string, RuleMemory>();
  let active = new Set<string>();
  return observations.map((o) => {
    const result = evaluate(o, memory, active, limits);
    memory = result.memory;
    active = new Set(result.conditions.map((c) => c.anomaly_id));
    return [...active].sort();
  });
}

describe('anomaly rules', () => {
  it('raises lag after it grew for K rounds in a row, and clears it once the group caught up', () => {
    const lags = [1, 2, 3, 4, 3, 1, 0];
    expect(rounds(lags.map((lag) => observe({ streams: [stream(lag)] })))).toEqual([
      [],
      [],
      [],
      ['stream_lag:s/g'],
      ['stream_lag:s/g'],
      ['stream_lag:s/g'],
      [],
    ]);
  });

  it('does not raise lag that grows and shrinks', () => {
    const lags = [1, 2, 1, 2, 3, 2];
    expect(rounds(lags.map((lag) => observe({ streams: [stream(lag)] }))).flat()).toEqual([]);
  });

  it('raises dead letters when the DLQ grows (not on first sight) and clears after quiet rounds', () => {
    const depths = [5, 5, 6, 6, 6, 6];
    expect(rounds(depths.map((d) => observe({ streams: [stream(0, d)] })))).toEqual([
      [],
      [],
      ['dead_letters:s'],
      ['dead_letters:s'],
      [],
      [],
    ]);
  });

  it('raises entries trimmed before a group read them when their count grows, and clears after quiet rounds', () => {
    const lost = [0, 0, 40, 40, 40, 40];
    expect(rounds(lost.map((n) => observe({ streams: [stream(0, 0, [], n)] })))).toEqual([
      [],
      [],
      ['stream_truncated:s/g'],
      ['stream_truncated:s/g'],
      [],
      [],
    ]);
  });

  it('raises a consumer that holds pending entries and has not acked for longer than the threshold', () => {
    const stuck = { name: 'w-1', pending: 2, idle_ms: 10, last_ack_age_ms: 61_000 };
    const idleEmpty = { name: 'w-2', pending: 0, idle_ms: 10, last_ack_age_ms: 600_000 };
    const busy = { name: 'w-3', pending: 4, idle_ms: 10, last_ack_age_ms: 1_000 };
    const { conditions } = evaluate(
      observe({ streams: [stream(0, 0, [stuck, idleEmpty, busy])] }),
      new Map(),
      new Set(),
      limits,
    );
    expect(conditions.map((c) => c.anomaly_id)).toEqual(['consumer_stuck:s/g/w-1']);
    expect(conditions[0]).toMatchObject({ severity: 'critical', value: 61_000, threshold: 60_000 });
  });

  it('holds service_down through recovering and clears it when healthy', () => {
    const state = (status: ServiceHealthState['status']) =>
      ({ service: 'whisper', status, streak: 1, error: 'down' }) as ServiceHealthState;
    const seq = ['healthy', 'unhealthy', 'recovering', 'healthy'] as const;
    expect(rounds(seq.map((s) => observe({ health: [state(s)] })))).toEqual([
      [],
      ['service_down:whisper'],
      ['service_down:whisper'],
      [],
    ]);
    // Recovering without having been raised (e.g. the monitoring restarted) raises nothing.
    expect(rounds([observe({ health: [state('recovering')] })])).toEqual([[]]);
  });

  it('raises Redis memory near maxmemory, only when a limit is set', () => {
    const redis = (used: number, max: number) => ({
      used_memory: used,
      maxmemory: max,
      connected_clients: 1,
      instantaneous_ops_per_sec: 0,
    });
    expect(rounds([observe({ redis: redis(95, 100) }), observe({ redis: redis(95, 0) })])).toEqual([
      ['redis_memory:redis'],
      [],
    ]);
  });

  it('raises an active or leaving bot whose heartbeat is older than the timeout', () => {
    const now = 1_000_000;
    const bot = (id: string, status: BotRecord['status'], beatAgoMs: number) =>
      ({ id, tenantId: 't', status, heartbeatAt: new Date(now - beatAgoMs).toISOString() }) as BotRecord;
    const { conditions } = evaluate(
      observe({
        now,
        liveBots: [
          bot('a', 'active', 40_000),
          bot('b', 'leaving', 50_000),
          bot('c', 'active', 1_000),
          bot('d', 'joining', 90_000),
        ],
      }),
      new Map(),
      new Set(),
      limits,
    );
    expect(conditions.map((c) => c.anomaly_id)).toEqual(['bot_orphaned:a', 'bot_orphaned:b']);
  });
});
