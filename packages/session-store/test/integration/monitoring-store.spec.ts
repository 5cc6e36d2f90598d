import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { MonitoringStore, type Alert } from '../../src/monitoring-store.js';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { protocol: 2 });
const prefix = `test:monitoring:${randomUUID().slice(0, 8)}`;

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

function alert(id: string, state: Alert['state']): Alert {
  return {
    anomaly_id: id,
    kind: 'stream_lag',
    severity: 'warning',
    subject: id,
    message: `lag on ${id}`,
    state,
    since: new Date().toISOString(),
  };
}

describe('MonitoringStore (real Redis)', () => {
  it('keeps active alerts until resolved and the last 100 raised or resolved, newest first', async () => {
    const store = new MonitoringStore(redis, `${prefix}:alerts`);
    await store.recordAlerts([alert('a', 'active'), alert('b', 'active')], []);
    await store.recordAlerts([], [alert('a', 'resolved')]);
    expect((await store.activeAlerts()).map((a) => a.anomaly_id)).toEqual(['b']);
    const recent = await store.recentAlerts();
    expect(recent.map((a) => `${a.anomaly_id}:${a.state}`)).toEqual(['a:resolved', 'b:active', 'a:active']);
    for (let i = 0; i < 120; i++) await store.recordAlerts([alert(`x${i}`, 'active')], []);
    expect(await store.recentAlerts(1_000)).toHaveLength(100);
  });

  it('counts usage per window and tenant, sessions once, and hands over closed windows only', async () => {
    const store = new MonitoringStore(redis, `${prefix}:usage`);
    await store.countUsage(1_000, 'acme', { chunks_received: 1, audio_seconds: 0.5 }, 's1');
    await store.countUsage(1_000, 'acme', { chunks_received: 1, audio_seconds: 0.5 }, 's1');
    await store.countUsage(1_000, 'acme', { chunks_received: 1, audio_seconds: 1 }, 's2');
    await store.countUsage(1_000, 'globex', { translations: 2 });
    await store.countUsage(2_000, 'acme', { chunks_received: 1 }, 's3');
    const closed = await store.closedUsage(2_000);
    expect([...closed.keys()]).toEqual([1_000]);
    expect(Object.fromEntries(closed.get(1_000)!)).toEqual({
      acme: { chunks_received: 3, audio_seconds: 2, sessions: 2 },
      globex: { translations: 2 },
    });
  });
});
