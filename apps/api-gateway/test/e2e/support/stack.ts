import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GatewayClient, partitionedStreamOf, type SessionEvent } from '@livetranslate/contracts';
import { openRedis, parseClusterNodes, type RedisClient } from '@livetranslate/redis-streams';
import { deleteByPrefix } from '@livetranslate/redis-streams/testing';
import { appEntry, startAppProcess, type AppProcess } from '@livetranslate/service-kit/testing';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Set by the cluster suite (jest.cluster.config.js): every app then runs on that Redis Cluster. */
const CLUSTER_NODES = process.env.TEST_REDIS_CLUSTER_NODES;
/** The cluster suite also partitions the ingest (and the live fan-out), as a cluster deployment would. */
const INGEST_PARTITIONS = Number(process.env.TEST_AUDIO_INGEST_PARTITIONS ?? 1);
const root = fileURLToPath(new URL('../../../../../', import.meta.url));
export const ENTRIES = {
  gateway: appEntry(root, 'api-gateway'),
  worker: appEntry(root, 'audio-pipeline-worker'),
  whisper: appEntry(root, 'whisper-mock'),
  translation: appEntry(root, 'translation-mock'),
  botWorker: appEntry(root, 'bot-worker'),
  configSync: appEntry(root, 'config-sync-worker'),
  monitoring: appEntry(root, 'monitoring-worker'),
};

export const TENANT_A_KEY = 'key-of-tenant-a';
export const TENANT_B_KEY = 'key-of-tenant-b';
/** Operates the whole system (configuration). */
export const PLATFORM_KEY = 'platform-key-of-ops';

export interface StackOptions {
  gateways?: number;
  workers?: number;
  whisperEnv?: Record<string, string>;
  translationEnv?: Record<string, string>;
  workerEnv?: Record<string, string>;
  gatewayEnv?: Record<string, string>;
  /** A Redis of the test's own (chaos tests restart it); the shared local one by default. */
  redisUrl?: string;
  /** Options for node in the gateways and workers (the benchmark's `--cpu-prof`). */
  nodeArgs?: string[];
  /** A Redis Cluster (`host:port,…`) instead of the suite's default (TEST_REDIS_CLUSTER_NODES). */
  clusterNodes?: string;
  /** CA certificate (PEM file) of a TLS Redis: trusted by the apps (NODE_EXTRA_CA_CERTS) and the test. */
  redisCa?: string;
}

/**
 * The whole live path as real processes on free ports — both mocks, workers, gateways — sharing the
 * local Redis under a key prefix and stream names of their own.
 */
export class Stack {
  readonly ns = `test:e2e:${randomUUID().slice(0, 8)}`;
  readonly redis: RedisClient;
  whisper!: AppProcess;
  translation!: AppProcess;
  readonly workers: AppProcess[] = [];
  readonly gateways: AppProcess[] = [];
  readonly botWorkers: AppProcess[] = [];

  /** On the suite's cluster unless the test brings a Redis of its own. */
  readonly clusterNodes: string | undefined;

  constructor(
    readonly redisUrl?: string,
    private readonly nodeArgs: string[] = [],
    clusterNodes?: string,
    private readonly redisCa?: string,
  ) {
    this.clusterNodes = clusterNodes ?? (redisUrl ? undefined : CLUSTER_NODES);
    const tls = redisCa ? { tls: { ca: readFileSync(redisCa) } } : {};
    const cluster = this.clusterNodes ? parseClusterNodes(this.clusterNodes) : undefined;
    this.redis = openRedis(
      cluster ? { ...cluster, nodeOptions: { ...cluster.nodeOptions, ...tls } } : (redisUrl ?? REDIS_URL),
      'test:stack',
      { maxRetriesPerRequest: 3, ...tls },
    );
    this.redis.on('error', () => undefined);
  }

  /** AUDIO_INGEST_PARTITIONS of the apps (the live fan-out's partitions too). */
  readonly partitions = INGEST_PARTITIONS;

  /** The ingest stream a session's chunks go to (the single one, or its partition). */
  ingestStreamOf(sessionId: string): string {
    return partitionedStreamOf(`${this.ns}:audio-ingest`, sessionId, INGEST_PARTITIONS);
  }

  get shared(): Record<string, string> {
    return {
      REDIS_URL: this.redisUrl ?? REDIS_URL,
      ...(this.clusterNodes ? { REDIS_CLUSTER_NODES: this.clusterNodes } : {}),
      ...(this.redisCa ? { NODE_EXTRA_CA_CERTS: this.redisCa } : {}),
      AUDIO_INGEST_PARTITIONS: String(INGEST_PARTITIONS),
      REDIS_KEY_PREFIX: this.ns,
      EVENT_STREAM_AUDIO: `${this.ns}:audio-ingest`,
      EVENT_STREAM_AUDIO_RESULTS: `${this.ns}:audio-results`,
      EVENT_STREAM_BOT: `${this.ns}:bot-control`,
      EVENT_STREAM_CONFIG: `${this.ns}:config-sync`,
      EVENT_STREAM_MONITORING: `${this.ns}:monitoring`,
      EVENT_STREAM_AUDIO_DRAFTS: `${this.ns}:audio-drafts`,
      API_KEYS: `${TENANT_A_KEY}:tenant-a,${TENANT_B_KEY}:tenant-b,${PLATFORM_KEY}:ops:platform`,
      AUDIO_SERVICE_URL: this.whisper.url,
      TRANSLATION_SERVICE_URL: this.translation.url,
    };
  }

  static async start(options: StackOptions = {}): Promise<Stack> {
    const stack = new Stack(options.redisUrl, options.nodeArgs, options.clusterNodes, options.redisCa);
    [stack.whisper, stack.translation] = await Promise.all([
      startAppProcess(ENTRIES.whisper, options.whisperEnv ?? {}),
      startAppProcess(ENTRIES.translation, options.translationEnv ?? {}),
    ]);
    await Promise.all([
      ...Array.from({ length: options.workers ?? 1 }, (_, i) =>
        stack.addWorker(`worker-${i}`, options.workerEnv),
      ),
      ...Array.from({ length: options.gateways ?? 1 }, () => stack.addGateway(options.gatewayEnv)),
    ]);
    return stack;
  }

  async addWorker(name: string, env: Record<string, string> = {}): Promise<AppProcess> {
    const worker = await startAppProcess(
      ENTRIES.worker,
      { ...this.shared, CONSUMER_NAME: name, WORKER_RECLAIM_IDLE_MS: '2000', ...env },
      undefined,
      { nodeArgs: this.nodeArgs },
    );
    this.workers.push(worker);
    return worker;
  }

  async addBotWorker(name: string, env: Record<string, string> = {}): Promise<AppProcess> {
    const worker = await startAppProcess(ENTRIES.botWorker, { ...this.shared, CONSUMER_NAME: name, ...env });
    this.botWorkers.push(worker);
    return worker;
  }

  async addMonitoringWorker(name: string, env: Record<string, string> = {}): Promise<AppProcess> {
    const worker = await startAppProcess(ENTRIES.monitoring, { ...this.shared, CONSUMER_NAME: name, ...env });
    this.workers.push(worker);
    return worker;
  }

  async addConfigSyncWorker(name: string, env: Record<string, string> = {}): Promise<AppProcess> {
    const worker = await startAppProcess(ENTRIES.configSync, { ...this.shared, CONSUMER_NAME: name, ...env });
    this.workers.push(worker);
    return worker;
  }

  /**
   * Changes the stored configuration through the API (PATCH with If-Match), then waits until every
   * gateway runs the new version. Returns it.
   */
  async configure(path: string, patch: unknown): Promise<number> {
    const headers = { 'x-api-key': PLATFORM_KEY, 'content-type': 'application/json' };
    const url = this.gateways[0]!.url;
    const etag = (await fetch(`${url}${path}`, { headers })).headers.get('etag')!;
    const changed = await fetch(`${url}${path}`, {
      method: 'PATCH',
      headers: { ...headers, 'if-match': etag },
      body: JSON.stringify(patch),
    });
    if (changed.status !== 200) throw new Error(`configuration change refused: ${await changed.text()}`);
    const version = Number(changed.headers.get('etag')!.replaceAll('"', ''));
    for (const gateway of this.gateways) {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const ready = (await fetch(`${gateway.url}/readyz`).then((r) => r.json())) as {
          details?: { config?: { version?: number } };
        };
        if ((ready.details?.config?.version ?? 0) >= version) break;
        if (Date.now() > deadline) throw new Error(`${gateway.url} never applied version ${version}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    return version;
  }

  /** Restarts whisper-mock on the same port: it comes back with its default settings. */
  async restartWhisper(): Promise<void> {
    await this.whisper.stop('SIGKILL');
    await this.startWhisperAgain();
  }

  /** Starts whisper-mock again on its port, after a test stopped it. */
  async startWhisperAgain(): Promise<void> {
    this.whisper = await startAppProcess(ENTRIES.whisper, { PORT: String(this.whisper.port) });
  }

  async addGateway(env: Record<string, string> = {}): Promise<AppProcess> {
    const gateway = await startAppProcess(ENTRIES.gateway, { ...this.shared, ...env }, undefined, {
      nodeArgs: this.nodeArgs,
    });
    this.gateways.push(gateway);
    return gateway;
  }

  client(gateway = 0, apiKey = TENANT_A_KEY): GatewayClient {
    return new GatewayClient({ baseUrl: this.gateways[gateway]!.url, apiKey });
  }

  /** The session's log straight from Redis, as the ground truth for delivery tests. */
  log(sessionId: string): Promise<Array<{ id: string; type: string; payload: Record<string, unknown> }>> {
    return this.stream(`${this.ns}:session:{${sessionId}}:events`);
  }

  /** Every event in a stream, from Redis. */
  async stream(key: string): Promise<Array<{ id: string; type: string; payload: Record<string, unknown> }>> {
    const rows = await this.redis.xrange(key, '-', '+');
    return rows.map(([id, fields]) => {
      const envelope = JSON.parse(fields[1]!) as { event_type: string; payload: Record<string, unknown> };
      return { id, type: envelope.event_type, payload: envelope.payload };
    });
  }

  async stop(): Promise<void> {
    // A process that died on its own is a failure worth seeing.
    for (const process of [
      ...this.gateways,
      ...this.workers,
      ...this.botWorkers,
      this.whisper,
      this.translation,
    ]) {
      // Processes a test stopped itself exit 0; any other exit is worth seeing.
      if (
        process?.child.exitCode !== null &&
        process?.child.exitCode !== undefined &&
        process.child.exitCode !== 0
      ) {
        console.error(`${process.url} exited with ${process.child.exitCode}:\n${process.output()}`);
      }
    }
    await Promise.all(
      [...this.gateways, ...this.workers, ...this.botWorkers, this.whisper, this.translation]
        .filter(Boolean)
        .map((p) => p.stop('SIGKILL')),
    );
    await deleteByPrefix(this.redis, this.ns);
    await this.redis.quit();
  }
}

/** Polls `probe` until it returns something truthy, failing with `what` when the time runs out. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Polls the transcript until every chunk of the ended session has its results. */
export async function completeTranscript(client: GatewayClient, sessionId: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const transcript = await client.transcript(sessionId);
    if (transcript.complete || Date.now() > deadline) return transcript;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Reads events until the session's SessionCompleted (checked against the events: every chunk has its
 * transcript and translations, or a failure), or until `onEvent` says stop.
 */
export async function collectUntilComplete(
  events: AsyncIterable<SessionEvent>,
  languages: string[],
  timeoutMs = 60_000,
  onEvent?: (event: SessionEvent, all: SessionEvent[]) => boolean | void,
): Promise<SessionEvent[]> {
  const seen: SessionEvent[] = [];
  const deadline = Date.now() + timeoutMs;
  for await (const event of withTimeout(events, deadline)) {
    seen.push(event);
    if (onEvent?.(event, seen) === true) return seen;
    if (event.event_type === 'SessionCompleted') {
      // The session's word is checked against the events themselves: it must not come early.
      if (!isComplete(seen, languages)) {
        // What was seen, so a rare failure on a loaded machine can be told apart from a lost event.
        const seenList = seen
          .map((e) => `${e.id} ${e.event_type}${(e.payload as { seq?: number }).seq ?? ''}`)
          .join(', ');
        throw new Error(
          `SessionCompleted arrived before every chunk had its results or a failure; seen: ${seenList}`,
        );
      }
      return seen;
    }
  }
  return seen;
}

export function isComplete(events: SessionEvent[], languages: string[]): boolean {
  const ended = events.find((e) => e.event_type === 'SessionEnded');
  if (!ended) return false;
  const total = (ended.payload as { total_chunks: number }).total_chunks;
  for (let seq = 0; seq < total; seq++) {
    const of = (type: string, extra: (p: Record<string, unknown>) => boolean = () => true) =>
      events.some(
        (e) => e.event_type === type && (e.payload as { seq: number }).seq === seq && extra(e.payload),
      );
    const failed = (stage: string, language?: string) =>
      of(
        'ProcessingFailed',
        (p) => p.stage === stage && (language === undefined || p.target_language === language),
      );
    if (failed('transcription') || failed('storage')) continue;
    if (!of('TranscriptionCompleted')) return false;
    for (const language of languages) {
      if (
        !of('TranslationCompleted', (p) => p.target_language === language) &&
        !failed('translation', language)
      )
        return false;
    }
  }
  return true;
}

async function* withTimeout<T>(source: AsyncIterable<T>, deadline: number): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  try {
    for (;;) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error('timed out waiting for session events');
      let timer: NodeJS.Timeout | undefined;
      const next = await Promise.race([
        iterator.next(),
        new Promise<never>(
          (_, reject) =>
            (timer = setTimeout(() => reject(new Error('timed out waiting for session events')), remaining)),
        ),
      ]).finally(() => clearTimeout(timer));
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await iterator.return?.();
  }
}
