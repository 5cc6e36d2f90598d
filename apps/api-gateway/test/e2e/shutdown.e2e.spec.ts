import { startAppProcess, type AppProcess } from '@livetranslate/service-kit/testing';
import { ENTRIES, Stack } from './support/stack.js';

describe('graceful shutdown lets no connection hold the exit (real processes)', () => {
  let stack: Stack | undefined;
  let mock: AppProcess | undefined;
  afterEach(async () => {
    await stack?.stop();
    await mock?.stop('SIGKILL');
    stack = undefined;
    mock = undefined;
  });

  it('a request in flight on a keep-alive connection is answered, and the app still exits 0', async () => {
    mock = await startAppProcess(ENTRIES.whisper, { MOCK_LATENCY_MS: '1500' });
    const inFlight = fetch(`${mock.url}/api/models`);
    await new Promise((r) => setTimeout(r, 300));
    const exited = mock.stop('SIGTERM');
    const response = await inFlight;
    expect(response.status).toBe(200);
    // Kept alive after its response, the connection used to hold the exit until the grace ran out (exit 1).
    expect(await exited).toBe(0);
  });

  it('open Server-Sent Event streams are ended on shutdown (clients resume elsewhere), and the gateway exits 0', async () => {
    stack = await Stack.start();
    const client = stack.client();
    const session = await client.createSession({});
    const response = await fetch(`${stack.gateways[0]!.url}/api/sessions/${session.session_id}/events`, {
      headers: { 'x-api-key': 'key-of-tenant-a' },
    });
    const reader = response.body!.getReader();
    await reader.read(); // connected
    const exited = stack.gateways[0]!.stop('SIGTERM');
    let text = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString();
    }
    expect(text).toContain('retry: 500');
    expect(await exited).toBe(0);
  });

  it('gives up a drain longer than SHUTDOWN_GRACE_MS and exits 1, saying so', async () => {
    mock = await startAppProcess(ENTRIES.whisper, { MOCK_LATENCY_MS: '20000', SHUTDOWN_GRACE_MS: '1000' });
    const inFlight = fetch(`${mock.url}/api/models`).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300));
    // The request takes 20 s; the app waits 1 s for it.
    expect(await mock.stop('SIGTERM')).toBe(1);
    expect(mock.output()).toContain('shutdown took longer than 1000 ms');
    await inFlight;
  });
});
