import { BotStore } from '@livetranslate/session-store';
import { randomUUID } from 'node:crypto';
import { speechWav } from './support/audio-fixtures.js';
import { PLATFORM_KEY, Stack, TENANT_A_KEY, TENANT_B_KEY, until } from './support/stack.js';

interface HealthView {
  status: string;
  services: Array<{ service: string; status: string; streak: number; error: string | null }>;
}
interface Alert {
  anomaly_id: string;
  kind: string;
  state: 'active' | 'resolved';
}

// Fast rounds so the hysteresis (3 failures, 2 and 4 successes) plays out in seconds.
const MONITOR_ENV = {
  MONITOR_INTERVAL_MS: '250',
  MONITOR_CHECK_TIMEOUT_MS: '1500',
  MONITOR_LAG_GROWTH_ROUNDS: '2',
  MONITOR_DLQ_QUIET_ROUNDS: '2',
  MONITOR_USAGE_WINDOW_MS: '1000',
  SERVICE_HEARTBEAT_MS: '500',
};

function api(stack: Stack, key = PLATFORM_KEY) {
  return async <T>(path: string): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${stack.gateways[0]!.url}${path}`, { headers: { 'x-api-key': key } });
    return { status: response.status, body: (await response.json()) as T };
  };
}

const statusOf = (view: HealthView, service: string) =>
  view.services.find((s) => s.service === service)?.status;

describe('monitoring (real processes: mocks, worker, gateway, monitoring-worker)', () => {
  let stack: Stack | undefined;
  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
  });

  it('sees every app and model service; a Whisper outage walks unhealthy → recovering → healthy, in order, and never takes the gateway out', async () => {
    stack = await Stack.start();
    const monitor = await stack.addMonitoringWorker('monitor-1', MONITOR_ENV);
    const metric = async (name: string) => {
      const text = await (await fetch(`${monitor.url}/metrics`)).text();
      const line = text.split('\n').find((l) => l.startsWith(`${name} `));
      return line === undefined ? undefined : Number(line.slice(name.length + 1));
    };
    const get = api(stack);
    const all = [
      'api-gateway',
      'audio-pipeline-worker',
      'monitoring-worker',
      'redis',
      'whisper',
      'translation',
    ];
    await until('every service healthy', async () => {
      const { body } = await get<HealthView>('/api/system/health');
      return body.status === 'healthy' && all.every((s) => statusOf(body, s) === 'healthy') && body;
    });

    await stack.whisper.stop('SIGKILL');
    const down = await until('whisper unhealthy', async () => {
      const { body } = await get<HealthView>('/api/system/health');
      return statusOf(body, 'whisper') === 'unhealthy' && body;
    });
    expect(down.status).toBe('unhealthy');
    // The view is read while probes keep running, so a fourth failure may already be counted; the
    // transition itself (checked in the stream below) happens exactly at the third.
    expect(down.services.find((s) => s.service === 'whisper')!.streak).toBeGreaterThanOrEqual(3);
    expect(down.services.find((s) => s.service === 'whisper')!.error).toMatch(/unreachable|ECONNREFUSED/);
    // The gateway's own readiness is about what it needs to serve (Redis), not the model services.
    expect((await fetch(`${stack.gateways[0]!.url}/readyz`)).status).toBe(200);
    // The worker cannot work without Whisper: its 503 names the failing check.
    const workerReady = await fetch(`${stack.workers[0]!.url}/readyz`);
    expect(workerReady.status).toBe(503);
    const notReady = (await workerReady.json()) as { error: { code: string; message: string } };
    expect(notReady.error).toMatchObject({ code: 'not_ready' });
    expect(notReady.error.message).toMatch(/^not ready: whisper/);
    const alerts = await get<{ active: Alert[] }>('/api/system/alerts');
    expect(alerts.body.active.map((a) => a.anomaly_id)).toContain('service_down:whisper');
    // The gauges show the same state (read from the store at scrape time).
    expect(await metric('livetranslate_service_up{service="whisper"}')).toBe(0);
    expect(await metric('livetranslate_service_up{service="translation"}')).toBe(1);
    expect(await metric('livetranslate_anomalies_active{kind="service_down"}')).toBeGreaterThanOrEqual(1);
    expect(await metric('livetranslate_redis_memory_used_bytes')).toBeGreaterThan(0);

    await stack.startWhisperAgain();
    await until('whisper healthy again', async () => {
      const { body } = await get<HealthView>('/api/system/health');
      return statusOf(body, 'whisper') === 'healthy';
    });
    await until('service_down resolved', async () => {
      const { body } = await get<{ active: Alert[] }>('/api/system/alerts');
      return !body.active.some((a) => a.anomaly_id === 'service_down:whisper');
    });

    const events = await stack.stream(`${stack.ns}:monitoring`);
    const whisperReports = events.filter(
      (e) => e.type === 'ServiceHealthReport' && e.payload.service === 'whisper',
    );
    expect(whisperReports.map((e) => e.payload.status)).toEqual([
      'healthy',
      'unhealthy',
      'recovering',
      'healthy',
    ]);
    expect(whisperReports[1]!.payload.streak).toBe(3);
    const whisperAnomalies = events
      .filter((e) => e.type === 'AnomalyDetected' && e.payload.anomaly_id === 'service_down:whisper')
      .map((e) => e.payload.state);
    expect(whisperAnomalies).toEqual(['active', 'resolved']);
  });

  it('raises lag while the worker is stopped and chunks keep arriving, and clears it when a worker catches up; a poison entry raises dead letters', async () => {
    stack = await Stack.start();
    await stack.addMonitoringWorker('monitor-1', MONITOR_ENV);
    const get = api(stack);
    await until(
      'a first round',
      async () => (await get<HealthView>('/api/system/health')).body.status === 'healthy',
    );

    await stack.workers[0]!.stop('SIGTERM');
    const client = stack.client();
    const session = await client.createSession({ target_languages: ['es'] });
    // The single ingest stream, or the session's partition when the suite partitions the ingest.
    const ingest = stack.ingestStreamOf(session.session_id);
    const lagId = `stream_lag:${ingest}/audio-pipeline`;
    const wav = speechWav();
    let sent = 0;
    await until('lag anomaly', async () => {
      await client.sendChunk(session.session_id, wav);
      sent++;
      const { body } = await get<{ active: Alert[] }>('/api/system/alerts');
      return body.active.some((a) => a.anomaly_id === lagId);
    });
    const streams = await get<{
      streams: Array<{ stream: string; groups: Array<{ group: string; lag: number }> }>;
    }>('/api/system/streams');
    const group = streams.body.streams
      .find((s) => s.stream === ingest)!
      .groups.find((g) => g.group === 'audio-pipeline')!;
    expect(group.lag).toBeGreaterThan(0);
    expect(sent).toBeGreaterThan(2);
    // The stopped worker left the registry: its app has no live replica.
    await until('worker app unhealthy', async () => {
      const { body } = await get<HealthView>('/api/system/health');
      return statusOf(body, 'audio-pipeline-worker') === 'unhealthy';
    });

    await stack.addWorker('worker-1');
    await until('lag cleared', async () => {
      const { body } = await get<{ active: Alert[]; recent: Alert[] }>('/api/system/alerts');
      return (
        !body.active.some((a) => a.anomaly_id === lagId) &&
        body.recent.some((a) => a.anomaly_id === lagId && a.state === 'resolved')
      );
    });

    await stack.redis.xadd(ingest, '*', 'data', '{not json');
    await until('dead-letter anomaly', async () => {
      const { body } = await get<{ active: Alert[] }>('/api/system/alerts');
      return body.active.some((a) => a.anomaly_id === `dead_letters:${ingest}`);
    });
    await until('dead letters cleared after quiet rounds', async () => {
      const { body } = await get<{ active: Alert[] }>('/api/system/alerts');
      return !body.active.some((a) => a.anomaly_id === `dead_letters:${ingest}`);
    });
  });

  it('reports entries a length-trimming publisher removed before a group read them', async () => {
    stack = await Stack.start();
    await stack.addMonitoringWorker('monitor-1', MONITOR_ENV);
    const get = api(stack);
    await until(
      'a first round',
      async () => (await get<HealthView>('/api/system/health')).body.status === 'healthy',
    );
    await stack.workers[0]!.stop('SIGTERM');
    const client = stack.client();
    const session = await client.createSession({});
    const ingest = stack.ingestStreamOf(session.session_id);
    for (let i = 0; i < 4; i++) await client.sendChunk(session.session_id, speechWav());
    // What the original Python publisher does on every publish: trim by length, whoever has read.
    await stack.redis.xadd(ingest, 'MAXLEN', '1', '*', 'data', '{not an envelope');
    const id = `stream_truncated:${ingest}/audio-pipeline`;
    await until('stream_truncated raised', async () => {
      const { body } = await get<{ active: Alert[] }>('/api/system/alerts');
      return body.active.some((a) => a.anomaly_id === id);
    });
    const { body } = await get<{
      streams: Array<{ stream: string; groups: Array<{ group: string; trimmed_unread: number }> }>;
    }>('/api/system/streams');
    const group = body.streams
      .find((s) => s.stream === ingest)!
      .groups.find((g) => g.group === 'audio-pipeline')!;
    expect(group.trimmed_unread).toBe(4);
  });

  it('reports usage per tenant per window; tenants see their own, platform keys every tenant; streams and alerts are for platform keys', async () => {
    stack = await Stack.start();
    await stack.addMonitoringWorker('monitor-1', MONITOR_ENV);
    const client = stack.client();
    const session = await client.createSession({ target_languages: ['es', 'fr'] });
    await client.sendChunk(session.session_id, speechWav());
    await client.sendChunk(session.session_id, speechWav());
    type Usage = { reports: Array<Record<string, unknown>> };
    const totals = async (key: string) => {
      const { body } = await api(stack!, key)<Usage>('/api/system/usage');
      const sum = (field: string) => body.reports.reduce((n, r) => n + Number(r[field] ?? 0), 0);
      return {
        tenants: [...new Set(body.reports.map((r) => r.tenant_id))],
        chunks_received: sum('chunks_received'),
        chunks_processed: sum('chunks_processed'),
        translations: sum('translations'),
        audio_seconds: sum('audio_seconds'),
      };
    };
    const own = await until('tenant-a usage for both chunks and their translations', async () => {
      const t = await totals(TENANT_A_KEY);
      return t.chunks_received === 2 && t.chunks_processed === 2 && t.translations === 4 && t;
    });
    expect(own.tenants).toEqual(['tenant-a']);
    expect(own.audio_seconds).toBeGreaterThan(0);
    expect((await totals(TENANT_B_KEY)).tenants).toEqual([]);
    expect((await totals(PLATFORM_KEY)).tenants).toContain('tenant-a');
    const asB = api(stack, TENANT_B_KEY);
    expect((await asB('/api/system/usage?tenant=tenant-a')).status).toBe(403);
    expect((await asB('/api/system/streams')).status).toBe(403);
    expect((await asB('/api/system/alerts')).status).toBe(403);
    expect((await asB('/api/system/health')).status).toBe(200);
    const bad = await asB<{ error: { code: string; message: string } }>('/api/system/usage?limit=0');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/limit/);
  });

  it('raises an active bot that no worker renews, and sees a replica that died without deregistering', async () => {
    stack = await Stack.start({ workerEnv: { SERVICE_HEARTBEAT_MS: '300' } });
    await stack.addMonitoringWorker('monitor-1', {
      ...MONITOR_ENV,
      MONITOR_BOT_OWNER_TIMEOUT_MS: '1000',
      MONITOR_INSTANCE_STALE_MS: '1500',
    });
    // A bot whose worker is gone: active, and nobody renews its heartbeat.
    const bots = new BotStore(stack.redis, stack.ns);
    const created = await bots.create(
      {
        id: randomUUID(),
        tenantId: 'tenant-a',
        meetingUrl: 'sim://orphan',
        platform: 'simulated',
        botName: 'LiveTranslate',
        sessionId: randomUUID(),
        sourceLanguage: 'en',
        targetLanguages: ['es'],
      },
      10,
    );
    if (!created.created) throw new Error('expected a bot');
    const id = created.bot.id;
    for (const status of ['queued', 'spawning', 'joining', 'active'] as const)
      await bots.transition('tenant-a', id, status, {});
    const get = api(stack);
    await until('bot_orphaned raised', async () => {
      const { body } = await get<{ active: Alert[] }>('/api/system/alerts');
      return body.active.some((a) => a.anomaly_id === `bot_orphaned:${id}`);
    });
    await bots.transition('tenant-a', id, 'failed', { reason: 'worker_lost' });
    await until('bot_orphaned resolved', async () => {
      const { body } = await get<{ active: Alert[] }>('/api/system/alerts');
      return !body.active.some((a) => a.anomaly_id === `bot_orphaned:${id}`);
    });

    // A SIGKILLed replica leaves its registry entry behind: first its probe fails, then its stale
    // heartbeat alone says it is gone.
    await stack.workers[0]!.stop('SIGKILL');
    const dead = await until('stale replica reported', async () => {
      const { body } = await get<HealthView>('/api/system/health');
      const worker = body.services.find((x) => x.service === 'audio-pipeline-worker');
      return worker?.error?.includes('no heartbeat') && worker;
    });
    expect(dead.status).toBe('unhealthy');
    expect(dead.error).toMatch(/^worker-0:\d+: no heartbeat for \d+ s$/);
  });

  it('raises a consumer that holds entries and stopped acknowledging, while it still answers /healthz', async () => {
    // Whisper answers far slower than the threshold: the worker's handler hangs on it.
    stack = await Stack.start({
      whisperEnv: { MOCK_LATENCY_MS: '60000' },
      workerEnv: { DOWNSTREAM_TIMEOUT_MS: '120000' },
    });
    await stack.addMonitoringWorker('monitor-1', { ...MONITOR_ENV, MONITOR_STUCK_CONSUMER_MS: '2000' });
    const client = stack.client();
    const session = await client.createSession({ target_languages: ['es'] });
    await client.sendChunk(session.session_id, speechWav());
    const id = `consumer_stuck:${stack.ingestStreamOf(session.session_id)}/audio-pipeline/worker-0`;
    const alerts = await until('stuck consumer anomaly', async () => {
      const { body } = await api(stack!)<{ active: Alert[] }>('/api/system/alerts');
      return body.active.some((a) => a.anomaly_id === id) && body;
    });
    expect(alerts.active.find((a) => a.anomaly_id === id)).toMatchObject({ kind: 'consumer_stuck' });
    expect((await fetch(`${stack.workers[0]!.url}/healthz`)).status).toBe(200);
  });
});
