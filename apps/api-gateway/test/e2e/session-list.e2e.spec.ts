import { GatewayClient } from '@livetranslate/contracts';
import { speechWav } from './support/audio-fixtures.js';
import { Stack, TENANT_A_KEY, TENANT_B_KEY, until } from './support/stack.js';

describe('GET /api/sessions (real processes)', () => {
  let stack: Stack;
  beforeAll(async () => {
    // A slow Whisper keeps a chunk processing long enough to see a session in the `ended` state.
    stack = await Stack.start({ whisperEnv: { MOCK_LATENCY_MS: '3000' } });
  });
  afterAll(() => stack?.stop());

  it('lists the tenant’s sessions newest first, by state, in pages, and never another tenant’s', async () => {
    const client = stack.client();
    const completed = await client.createSession();
    await client.endSession(completed.session_id);
    for await (const _ of client.events(completed.session_id)); // read to its SessionCompleted
    const ended = await client.createSession();
    await client.sendChunk(ended.session_id, speechWav(['hello']));
    await client.endSession(ended.session_id);
    const open = await client.createSession();
    const other = new GatewayClient({ baseUrl: stack.gateways[0]!.url, apiKey: TENANT_B_KEY });
    const theirs = await other.createSession();

    const all = await client.listSessions();
    expect(all.sessions.map((s) => [s.session_id, s.state])).toEqual([
      [open.session_id, 'open'],
      [ended.session_id, 'ended'],
      [completed.session_id, 'completed'],
    ]);
    expect(all.next_cursor).toBeNull();
    expect((await other.listSessions()).sessions.map((s) => s.session_id)).toEqual([theirs.session_id]);
    for (const state of ['open', 'ended', 'completed'] as const) {
      const listed = await client.listSessions({ state });
      expect(listed.sessions.map((s) => s.state)).toEqual([state]);
    }

    // Pages of two, then the rest: every session once, in order.
    const first = await client.listSessions({ limit: 2 });
    expect(first.sessions).toHaveLength(2);
    const second = await client.listSessions({ limit: 2, cursor: first.next_cursor! });
    expect([...first.sessions, ...second.sessions].map((s) => s.session_id)).toEqual(
      all.sessions.map((s) => s.session_id),
    );
    expect(second.next_cursor).toBeNull();

    // Once its chunk is done, the ended session completes.
    await until('the slow chunk to finish', async () => {
      const { sessions } = await client.listSessions({ state: 'completed' });
      return sessions.length === 2;
    });
  });

  it('answers a bad state, limit or cursor with a 400 that says what is wrong', async () => {
    for (const [query, text] of [
      ['state=finished', 'state must be one of the following values: open, ended, completed'],
      ['limit=0', 'limit must not be less than 1'],
      ['cursor=abc', 'cursor must be the next_cursor of a previous page'],
    ] as const) {
      const response = await fetch(`${stack.gateways[0]!.url}/api/sessions?${query}`, {
        headers: { authorization: `Bearer ${TENANT_A_KEY}` },
      });
      expect(response.status).toBe(400);
      expect(JSON.stringify(await response.json())).toContain(text);
    }
  });
});
