import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { BotStore, type NewBot } from '../../src/bot-store.js';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { protocol: 2 });
const prefix = `test:bots:${randomUUID().slice(0, 8)}`;
const store = new BotStore(redis, prefix, 60);

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

function newBot(overrides: Partial<NewBot> = {}): NewBot {
  return {
    id: randomUUID(),
    tenantId: 'acme',
    meetingUrl: `sim://m-${randomUUID().slice(0, 6)}`,
    platform: 'simulated',
    botName: 'LiveTranslate',
    sessionId: randomUUID(),
    sourceLanguage: 'en',
    targetLanguages: ['es'],
    ...overrides,
  };
}

describe('BotStore (real Redis)', () => {
  it('creates a bot in requested, and returns the live bot of the same meeting instead of a second', async () => {
    const first = await store.create(newBot({ tenantId: 't-dedupe', meetingUrl: 'sim://same' }), 10);
    expect(first).toMatchObject({ created: true, bot: { status: 'requested', targetLanguages: ['es'] } });
    const again = await store.create(newBot({ tenantId: 't-dedupe', meetingUrl: 'sim://same' }), 10);
    expect(again).toMatchObject({ created: false, reason: 'duplicate' });
    expect(again.created === false && again.reason === 'duplicate' && again.bot.id).toBe(
      first.created && first.bot.id,
    );
    // Another tenant in the same meeting gets its own bot.
    expect((await store.create(newBot({ tenantId: 't-other', meetingUrl: 'sim://same' }), 10)).created).toBe(
      true,
    );
  });

  it('caps live bots per tenant; an ended bot frees its place and its meeting', async () => {
    const tenantId = 't-cap';
    const a = await store.create(newBot({ tenantId, meetingUrl: 'sim://a' }), 2);
    await store.create(newBot({ tenantId, meetingUrl: 'sim://b' }), 2);
    expect(await store.create(newBot({ tenantId, meetingUrl: 'sim://c' }), 2)).toEqual({
      created: false,
      reason: 'limit',
    });
    if (!a.created) throw new Error('expected a bot');
    await store.transition(tenantId, a.bot.id, 'failed', { reason: 'join_failed' });
    expect(await store.liveCount(tenantId)).toBe(1);
    expect((await store.create(newBot({ tenantId, meetingUrl: 'sim://a' }), 2)).created).toBe(true);
  });

  it("lists every tenant's live bots, and no ended ones", async () => {
    const own = new BotStore(redis, `${prefix}:live`, 60);
    const a = await own.create(newBot({ tenantId: 't-one' }), 10);
    const b = await own.create(newBot({ tenantId: 't-two' }), 10);
    const c = await own.create(newBot({ tenantId: 't-two' }), 10);
    if (!a.created || !b.created || !c.created) throw new Error('expected bots');
    await own.transition('t-two', c.bot.id, 'failed', { reason: 'join_failed' });
    const live = await own.liveBots();
    expect(live.map((bot) => bot.id).sort()).toEqual([a.bot.id, b.bot.id].sort());
    expect(live.find((bot) => bot.id === b.bot.id)).toMatchObject({ tenantId: 't-two', status: 'requested' });
  });

  it('allows only transitions in the table, storing each with its predecessor and time', async () => {
    const made = await store.create(newBot(), 10);
    if (!made.created) throw new Error('expected a bot');
    const { id, tenantId } = made.bot;
    expect(await store.transition(tenantId, id, 'active')).toEqual({
      ok: false,
      reason: 'illegal',
      current: 'requested',
    });
    for (const to of ['queued', 'spawning', 'joining', 'awaiting_admission', 'active', 'leaving'] as const) {
      expect((await store.transition(tenantId, id, to)).ok).toBe(true);
    }
    const stopped = await store.transition(tenantId, id, 'stopped', { reason: 'stop_requested' });
    expect(stopped).toMatchObject({
      ok: true,
      previous: 'leaving',
      bot: { status: 'stopped', reason: 'stop_requested' },
    });
    expect(await store.transition(tenantId, id, 'active')).toMatchObject({ ok: false, current: 'stopped' });
    const history = await store.transitions(tenantId, id);
    expect(history.map((t) => `${t.previous_status}>${t.status}`)).toEqual([
      'null>requested',
      'requested>queued',
      'queued>spawning',
      'spawning>joining',
      'joining>awaiting_admission',
      'awaiting_admission>active',
      'active>leaving',
      'leaving>stopped',
    ]);
    expect(history.every((t) => !Number.isNaN(Date.parse(t.at)))).toBe(true);
    expect(await redis.ttl(`${prefix}:tenant:{${tenantId}}:bot:${id}`)).toBeGreaterThan(0);
  });

  it('records stop requests only on bots still running, and counts recoveries', async () => {
    const made = await store.create(newBot(), 10);
    if (!made.created) throw new Error('expected a bot');
    const { id, tenantId } = made.bot;
    await store.transition(tenantId, id, 'queued');
    await store.transition(tenantId, id, 'spawning');
    await store.transition(tenantId, id, 'spawning', { reason: 'recovering', recovery: true });
    expect((await store.get(tenantId, id))?.recoveries).toBe(1);
    expect(await store.requestStop(tenantId, id, 'stop_requested')).toBe(true);
    expect((await store.get(tenantId, id))?.stopRequested).toBe('stop_requested');
    expect(await store.stopRequested(tenantId, id)).toBe('stop_requested');
    await store.transition(tenantId, id, 'stopped', { reason: 'stop_requested' });
    expect(await store.requestStop(tenantId, id, 'again')).toBe(false);
    expect(await store.requestStop(tenantId, 'nope', 'x')).toBe(false);
  });

  it('lists a tenant’s bots newest first, filtered by status, page by page', async () => {
    const tenantId = `t-list-${randomUUID().slice(0, 4)}`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const made = await store.create(newBot({ tenantId }), 10);
      if (made.created) ids.push(made.bot.id);
      await new Promise((r) => setTimeout(r, 2));
    }
    await store.transition(tenantId, ids[1]!, 'failed', { reason: 'join_failed' });
    const first = await store.list(tenantId, { limit: 2 });
    expect(first.bots.map((b) => b.id)).toEqual([ids[4], ids[3]]);
    const second = await store.list(tenantId, { limit: 2, cursor: first.nextCursor! });
    expect(second.bots.map((b) => b.id)).toEqual([ids[2], ids[1]]);
    const failed = await store.list(tenantId, { limit: 10, status: 'failed' });
    expect(failed).toEqual({ bots: [expect.objectContaining({ id: ids[1] })], nextCursor: null });
  });
});
