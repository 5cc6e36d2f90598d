import { context, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { createLogger } from './platform-logger.js';
import { redactUrl, REQUEST_ID_KEY } from './request-tracing.js';

describe('PlatformLogger', () => {
  const manager = new AsyncLocalStorageContextManager();
  let written: string[];
  const write = process.stdout.write.bind(process.stdout);

  beforeAll(() => context.setGlobalContextManager(manager.enable()));
  afterAll(() => context.disable());
  beforeEach(() => {
    written = [];
    process.stdout.write = ((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
  });
  afterEach(() => (process.stdout.write = write));

  const traceId = '0af7651916cd43dd8448eb211c80319c';
  const spanId = 'b7ad6b7169203331';
  const inRequest = (fn: () => void) =>
    context.with(
      trace
        .setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags: TraceFlags.SAMPLED })
        .setValue(REQUEST_ID_KEY, 'req-1'),
      fn,
    );

  it('adds request_id, trace_id and span_id to JSON lines', () => {
    const logger = createLogger({ LOG_LEVEL: 'log', LOG_FORMAT: 'json' }, 'test');
    inRequest(() => logger.log('hello', 'access'));
    expect(JSON.parse(written.join(''))).toMatchObject({
      message: 'hello',
      context: 'access',
      request_id: 'req-1',
      trace_id: traceId,
      span_id: spanId,
    });
  });

  it('appends them to text lines, without colour codes off a terminal', () => {
    const logger = createLogger({ LOG_LEVEL: 'log', LOG_FORMAT: 'text' }, 'test');
    inRequest(() => logger.log('hello'));
    const line = written.join('');
    expect(line).toContain(`hello request_id=req-1 trace_id=${traceId} span_id=${spanId}`);
    expect(line).not.toContain('\u001b[');
  });

  it('writes no ids outside a request', () => {
    createLogger({ LOG_LEVEL: 'log', LOG_FORMAT: 'text' }, 'test').log('boot');
    expect(written.join('')).not.toContain('request_id=');
  });
});

describe('redactUrl', () => {
  it('replaces credentials in the query and keeps the rest', () => {
    expect(redactUrl('/ws/sessions/1?token=abc&last_event_id=5-0')).toBe(
      '/ws/sessions/1?token=[redacted]&last_event_id=5-0',
    );
    expect(redactUrl('/x?a=1&api_key=k&access_token=t')).toBe(
      '/x?a=1&api_key=[redacted]&access_token=[redacted]',
    );
    expect(redactUrl('/api/sessions')).toBe('/api/sessions');
  });
});
