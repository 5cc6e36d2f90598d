import { randomBytes } from 'node:crypto';
import { WebSocket } from 'ws';
import { speechWav } from './support/audio-fixtures.js';
import { OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver.js';
import { Stack, TENANT_A_KEY } from './support/stack.js';

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('one trace from the client to the translation (real processes, a real OTLP receiver)', () => {
  let stack: Stack | undefined;
  let receiver: OtlpReceiver | undefined;
  afterEach(async () => {
    await stack?.stop();
    await receiver?.stop();
    stack = undefined;
    receiver = undefined;
  });

  it('gateway → bus → worker → Whisper → translation → log → delivery, with the right parents; a poison entry is a failed span; logs carry the ids', async () => {
    receiver = await OtlpReceiver.start();
    const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '100' };
    // LOG_LEVEL log: the access lines are wanted here (tests run apps at warn).
    stack = await Stack.start({ gatewayEnv: { ...otel, LOG_LEVEL: 'log' }, workerEnv: otel });
    const client = stack.client();
    const session = await client.createSession({ target_languages: ['es'] });
    // A follower, so delivery happens (and is traced) while the result arrives.
    const delivered: string[] = [];
    const follow = (async () => {
      for await (const event of client.events(session.session_id)) {
        delivered.push(event.event_type);
        if (event.event_type === 'TranslationCompleted') return;
      }
    })();

    const traceId = randomBytes(16).toString('hex');
    const clientSpanId = randomBytes(8).toString('hex');
    const response = await fetch(`${stack.gateways[0]!.url}/api/sessions/${session.session_id}/audio`, {
      method: 'POST',
      headers: {
        'x-api-key': TENANT_A_KEY,
        'content-type': 'audio/wav',
        traceparent: `00-${traceId}-${clientSpanId}-01`,
      },
      body: speechWav(),
    });
    expect(response.status).toBe(202);
    await follow;

    const named = (spans: ReceivedSpan[], pattern: RegExp) => spans.find((s) => pattern.test(s.name));
    const spans = await until('the whole trace', () => {
      const t = receiver!.trace(traceId);
      const needed = [
        /^POST \/api\/sessions\/:id\/audio$/,
        /^audio chunk$/,
        /^AudioChunkReceived process$/,
        /transcribe/,
        /translate/,
        /^session-log append TranscriptionCompleted$/,
        /^session-log append TranslationCompleted$/,
        /^deliver TranslationCompleted$/,
      ];
      return needed.every((p) => named(t, p)) && t;
    });
    const server = named(spans, /^POST \/api\/sessions\/:id\/audio$/)!;
    const chunk = named(spans, /^audio chunk$/)!;
    const processed = named(spans, /^AudioChunkReceived process$/)!;
    const whisper = named(spans, /transcribe/)!;
    const translation = named(spans, /translate/)!;
    const appendT = named(spans, /^session-log append TranscriptionCompleted$/)!;
    const appendX = named(spans, /^session-log append TranslationCompleted$/)!;
    const deliver = named(spans, /^deliver TranslationCompleted$/)!;
    expect(server).toMatchObject({ service: 'api-gateway', parentSpanId: clientSpanId });
    expect(chunk).toMatchObject({ service: 'api-gateway', parentSpanId: server.spanId });
    expect(processed).toMatchObject({ service: 'audio-pipeline-worker', parentSpanId: chunk.spanId });
    for (const child of [whisper, translation, appendT, appendX])
      expect(child).toMatchObject({ service: 'audio-pipeline-worker', parentSpanId: processed.spanId });
    expect(deliver).toMatchObject({ service: 'api-gateway', parentSpanId: appendX.spanId });
    expect(delivered).toContain('TranscriptionCompleted');

    await stack.redis.xadd(`${stack.ns}:audio-ingest`, '*', 'data', '{not json');
    const poison = await until('poison span', () =>
      receiver!.spans.find(
        (s) => s.name === 'poison entry dead-lettered' && s.service === 'audio-pipeline-worker',
      ),
    );
    expect(poison.status.code).toBe(2);

    // The gateway's log: an access line tied to the request and the trace, no colour codes, no key.
    const log = stack.gateways[0]!.output();
    const access = log
      .split('\n')
      .find((line) => line.includes(`POST /api/sessions/${session.session_id}/audio 202`));
    expect(access).toMatch(/request_id=\S+/);
    expect(access).toContain(`trace_id=${traceId}`);
    expect(log).not.toContain('\u001b[');
    expect(log).not.toContain(TENANT_A_KEY);
  });

  it('redacts credentials in the query from the access log', async () => {
    stack = await Stack.start({ gatewayEnv: { LOG_LEVEL: 'log' } });
    const url = `${stack.gateways[0]!.url}/api/sessions/00000000-0000-4000-8000-000000000000/events?token=${TENANT_A_KEY}`;
    // Only WebSockets authenticate by query; the request is refused, and its line still redacted.
    expect((await fetch(url)).status).toBe(401);
    const log = await until('access line', () =>
      stack!.gateways[0]!.output()
        .split('\n')
        .find((line) => line.includes('/events?token=')),
    );
    expect(log).toContain('token=[redacted] 401');
    // Without an exporter, trace ids still exist and tie lines together.
    expect(log).toMatch(/request_id=\S+ trace_id=[0-9a-f]{32} span_id=[0-9a-f]{16}/);

    // A WebSocket's line is written when it closes, with its token redacted too.
    const session = await stack.client().createSession({});
    const ws = new WebSocket(
      `${stack.gateways[0]!.url.replace('http', 'ws')}/ws/sessions/${session.session_id}?token=${TENANT_A_KEY}`,
    );
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    ws.close(1000);
    const wsLine = await until('WebSocket access line', () =>
      stack!.gateways[0]!.output()
        .split('\n')
        .find((line) => line.includes(`WS /ws/sessions/${session.session_id}`)),
    );
    expect(wsLine).toContain('?token=[redacted] closed 1000');
    expect(wsLine).toMatch(/\[access\]/);
    expect(stack.gateways[0]!.output()).not.toContain(TENANT_A_KEY);
  });
});
