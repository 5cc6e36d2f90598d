import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertOneSlot, LuaScript, slotOf } from './lua-script.js';
import { parseClusterNodes } from './connection.js';

describe('slot safety', () => {
  it('computes Redis Cluster slots from the hash tag when there is one', () => {
    // Known values from the Redis Cluster specification's CRC16 (the key "123456789" → 0x31C3 % 16384).
    expect(slotOf('123456789')).toBe(12739);
    expect(slotOf('lt:session:{abc}:events')).toBe(slotOf('abc'));
    expect(slotOf('{}x')).not.toBe(slotOf('x')); // an empty tag is no tag: the whole key counts
  });

  it('accepts keys sharing a slot and names the first key that does not', () => {
    expect(() => assertOneSlot(['lt:{s1}:a', 'lt:{s1}:b'], 'test')).not.toThrow();
    // An untagged stream and a key tagged with the stream's whole name hash the same text.
    expect(() => assertOneSlot(['bus:events', 'lt:{bus:events}:done:x'], 'test')).not.toThrow();
    expect(() => assertOneSlot(['lt:{s1}:a', 'lt:{s2}:b'], 'script x')).toThrow(
      /^script x: key lt:\{s2\}:b is on hash slot \d+, lt:\{s1\}:a on \d+$/,
    );
  });

  it('refuses to run a script whose keys span slots, before sending anything', async () => {
    const script = new LuaScript('two-keys', 'return 1');
    const sent: unknown[] = [];
    const redis = {
      evalsha: (...args: unknown[]) => sent.push(args),
      eval: (...args: unknown[]) => sent.push(args),
    };
    await expect(script.run(redis as never, ['{a}:x', '{b}:y'])).rejects.toThrow(/two-keys/);
    expect(sent).toEqual([]);
  });
});

describe('REDIS_CLUSTER_NODES', () => {
  it('takes host:port lists and redis(s) URLs with ACL credentials', () => {
    expect(parseClusterNodes('10.0.0.1:7000, 10.0.0.2:7001')).toEqual({
      clusterNodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
      ],
      nodeOptions: {},
    });
    expect(parseClusterNodes('rediss://app:s%40cret@redis-0:6380,redis-1:6380')).toEqual({
      clusterNodes: [
        { host: 'redis-0', port: 6380 },
        { host: 'redis-1', port: 6380 },
      ],
      nodeOptions: { tls: {}, username: 'app', password: 's@cret' },
    });
  });

  it('names what is wrong', () => {
    expect(() => parseClusterNodes(' , ')).toThrow('names no node');
    expect(() => parseClusterNodes('redis-0:99999')).toThrow(/redis-0:99999/);
    expect(() => parseClusterNodes('http://redis-0:6379')).toThrow(/http:\/\/redis-0:6379/);
  });
});

describe('every script in the project', () => {
  it('runs through LuaScript, so each run checks its keys share a slot', () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const sources = ['apps', 'packages'].flatMap((dir) =>
      readdirSync(join(root, dir)).flatMap((pkg) => tsFiles(join(root, dir, pkg, 'src'))),
    );
    expect(sources.length).toBeGreaterThan(100);
    const raw = sources
      .filter((file) => !file.endsWith('lua-script.ts') && !file.endsWith('.spec.ts'))
      .filter((file) => /\.(eval|evalsha|defineCommand)\(/.test(readFileSync(file, 'utf8')))
      .map((file) => file.slice(root.length));
    expect(raw).toEqual([]);
  });
});

function tsFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? tsFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}
