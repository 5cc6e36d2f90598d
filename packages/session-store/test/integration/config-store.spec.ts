import { randomUUID } from 'node:crypto';
import { DEFAULT_SYSTEM_CONFIG, mergePatch, type SystemConfig } from '@livetranslate/contracts';
import { Redis } from 'ioredis';
import { ConfigStore } from '../../src/config-store.js';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { protocol: 2 });
const prefixes: string[] = [];

afterAll(async () => {
  for (const prefix of prefixes) {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
  }
  await redis.quit();
});

function store(history = 50): ConfigStore {
  const prefix = `test:config:${randomUUID().slice(0, 8)}`;
  prefixes.push(prefix);
  return new ConfigStore(redis, prefix, history);
}

const BASE: SystemConfig = structuredClone(DEFAULT_SYSTEM_CONFIG);

describe('ConfigStore (real Redis)', () => {
  it('seeds version 1 once, and a stored configuration wins over a later seed', async () => {
    const configs = store();
    const first = await configs.seed(BASE);
    expect(first).toMatchObject({ version: 1, changed_by: 'environment' });
    const other = mergePatch(BASE, { chunking: { chunk_ms: 4000 } }) as SystemConfig;
    expect((await configs.seed(other)).config.chunking.chunk_ms).toBe(3000);
  });

  it('lets exactly one of many racing writers follow each base version', async () => {
    const configs = store();
    await configs.seed(BASE);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        configs.commit(1, mergePatch(BASE, { limits: { max_chunks_per_second: i + 1 } }) as SystemConfig, {
          changedBy: `writer-${i}`,
          reason: 'race',
        }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.current === 2)).toBe(true);
    expect(await configs.currentVersion()).toBe(2);
  });

  it('commits a change request once: a redelivery gets the version it committed, even over a newer base', async () => {
    const configs = store();
    await configs.seed(BASE);
    const change = mergePatch(BASE, { chunking: { chunk_ms: 4000 } }) as SystemConfig;
    const meta = { changedBy: 'ops', reason: 'r', requestId: 'req-1' };
    const first = await configs.commit(1, change, meta);
    expect(first).toMatchObject({ ok: true, replayed: false, version: { version: 2 } });
    // The worker died before acknowledging: another applies the same request, against the same base.
    const again = await configs.commit(1, change, meta);
    expect(again).toMatchObject({ ok: true, replayed: true, version: { version: 2, changed_by: 'ops' } });
    expect(await configs.currentVersion()).toBe(2);
    // Another request against the old base is still stale.
    expect(await configs.commit(1, change, { ...meta, requestId: 'req-2' })).toMatchObject({ ok: false });
  });

  it('keeps immutable versions with checksums, newest first, up to the history length', async () => {
    const configs = store(3);
    await configs.seed(BASE);
    for (let i = 0; i < 4; i++) {
      const base = await configs.currentVersion();
      await configs.commit(base, mergePatch(BASE, { chunking: { chunk_ms: 3000 + i } }) as SystemConfig, {
        changedBy: 'ops',
        reason: `step ${i}`,
      });
    }
    const history = await configs.history();
    expect(history.map((v) => v.version)).toEqual([5, 4, 3]);
    expect(history.every(ConfigStore.intact)).toBe(true);
    expect(await configs.get(1)).toBeNull();
    expect((await configs.get(5))?.reason).toBe('step 3');
  });

  it('notices a stored version whose document no longer matches its checksum', async () => {
    const configs = store();
    const seeded = await configs.seed(BASE);
    const tampered = {
      ...seeded,
      config: mergePatch(seeded.config, { limits: { max_upload_bytes: 1 } }) as SystemConfig,
    };
    expect(ConfigStore.intact(seeded)).toBe(true);
    expect(ConfigStore.intact(tampered)).toBe(false);
  });
});
