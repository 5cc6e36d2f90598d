import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { QUEUE_NAMES } from '@livetranslate/contracts';
import { deleteByPrefix } from '@livetranslate/redis-streams/testing';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { queueKeyPrefix, queueWaitingKey } from '@livetranslate/contracts';
import { JobQueues } from '../../src/queues/job-queues.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const packageRoot = fileURLToPath(new URL('../..', import.meta.url));
const queueName = QUEUE_NAMES.botLifecycle;

/** Starts the fixture worker process; resolves once it has taken a job. */
function startDoomedWorker(keyPrefix: string): { child: ChildProcess; activeJob: Promise<string> } {
  const child = spawn(
    process.execPath,
    ['--import', '@swc-node/register/esm-register', 'test/fixtures/queue-worker-process.ts'],
    {
      cwd: packageRoot,
      env: { ...process.env, NODE_OPTIONS: '', REDIS_URL, KEY_PREFIX: keyPrefix, LOCK_MS: '1000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const activeJob = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker never took a job: ${stderr}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = chunk.toString().match(/active (\S+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
  });
  return { child, activeJob };
}

describe('JobQueues (BullMQ through the shared helper, real Redis)', () => {
  const redis = new Redis(REDIS_URL, { protocol: 2 });
  const prefixes: string[] = [];
  const open: JobQueues[] = [];
  const children: ChildProcess[] = [];

  function queuesFor(app: string, registry?: Registry): { queues: JobQueues; prefix: string } {
    const prefix = `test:jq:${randomUUID().slice(0, 8)}`;
    prefixes.push(prefix);
    const queues = new JobQueues({
      connection: REDIS_URL,
      keyPrefix: prefix,
      app,
      ...(registry ? { registry } : {}),
    });
    open.push(queues);
    return { queues, prefix };
  }

  afterEach(async () => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    for (const queues of open.splice(0)) await queues.close();
    for (const prefix of prefixes.splice(0)) await deleteByPrefix(redis, prefix);
  });
  afterAll(async () => {
    await redis.quit();
  });

  it('keeps every key of a queue under the app prefix and on one hash slot', async () => {
    const { queues, prefix } = queuesFor('slots');
    await queues.queue(queueName).add('job', { n: 1 });
    const keys = await redis.keys(`${prefix}*`);
    expect(keys.length).toBeGreaterThan(0);
    const tag = `{${queueName}}`;
    for (const key of keys) {
      expect(key.startsWith(queueKeyPrefix(prefix, queueName))).toBe(true);
      // The first {...} of a key is what Redis Cluster hashes: the queue's name for all of them.
      expect(key.slice(key.indexOf('{'), key.indexOf('}') + 1)).toBe(tag);
    }
    // The bot-worker's autoscaler watches this list: a waiting job is in it.
    expect(await redis.llen(queueWaitingKey(prefix, queueName))).toBe(1);
  });

  it('retries a job whose worker was killed mid-job (stalled → back to wait) on a live worker', async () => {
    const { queues, prefix } = queuesFor('survivor');
    const doomed = startDoomedWorker(prefix);
    children.push(doomed.child);
    const job = await queues.queue(queueName).add('bot', { meeting: 'm-1' }, { attempts: 1 });
    expect(await doomed.activeJob).toBe(job.id);
    doomed.child.kill('SIGKILL');

    const registry = new Registry();
    const survivor = new JobQueues({ connection: REDIS_URL, keyPrefix: prefix, app: 'survivor', registry });
    open.push(survivor);
    const done = new Promise<{ id: string; stalledBefore: number }>((resolve) => {
      survivor.worker<{ meeting: string }>(
        queueName,
        async (j) => {
          resolve({ id: j.id!, stalledBefore: j.stalledCounter });
          return 'ok';
        },
        { lockDuration: 1000, stalledInterval: 300 },
      );
    });
    const finished = await done;
    expect(finished.id).toBe(job.id);
    // BullMQ's own stall detection moved it back, not a retry after a failure.
    expect(finished.stalledBefore).toBe(1);
    const metrics = await registry.metrics();
    expect(metrics).toMatch(/livetranslate_jobs_stalled_total\{queue="bot-lifecycle"\} 1/);
  });

  it('never lets two apps with different prefixes see each other’s jobs', async () => {
    const a = queuesFor('app-a');
    const b = queuesFor('app-b');
    const seenByB: unknown[] = [];
    b.queues.worker<{ from: string }>(queueName, async (job) => void seenByB.push(job.data));
    const seenByA = new Promise<unknown>((resolve) => {
      a.queues.worker<{ from: string }>(queueName, async (job) => resolve(job.data));
    });
    await a.queues.queue(queueName).add('only-a', { from: 'a' });
    expect(await seenByA).toEqual({ from: 'a' });
    await new Promise((r) => setTimeout(r, 300));
    expect(seenByB).toEqual([]);
    expect(await b.queues.queue(queueName).getJobCounts('waiting', 'completed')).toEqual({
      waiting: 0,
      completed: 0,
    });
  });

  it('exports waiting, active, delayed and failed counts, and schedules repeating jobs', async () => {
    const registry = new Registry();
    const { queues } = queuesFor('counts', registry);
    await queues.queue(queueName).add('later', {}, { delay: 60_000 });
    await queues.queue(queueName).add('now', {});
    await queues.schedule(queueName, 'sweep', { every: 60_000 }, { name: 'sweep', data: { kind: 'sweep' } });
    const metrics = await registry.metrics();
    expect(metrics).toMatch(/livetranslate_jobs\{queue="bot-lifecycle",state="waiting"\} [12]/);
    expect(metrics).toMatch(/livetranslate_jobs\{queue="bot-lifecycle",state="delayed"\} [12]/);
    expect(metrics).toMatch(/livetranslate_jobs\{queue="bot-lifecycle",state="failed"\} 0/);
    const schedulers = await queues.queue(queueName).getJobSchedulers();
    expect(schedulers.map((s) => s.key)).toEqual(['sweep']);
  });
});
