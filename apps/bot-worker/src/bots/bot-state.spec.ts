import type { StreamEventPublisher } from '@livetranslate/redis-streams';
import { MetricsRegistry, type WebhookOutbox } from '@livetranslate/service-kit';
import type { BotStore, SessionCompletion, SessionEventLog } from '@livetranslate/session-store';
import { BotMetrics } from './bot-metrics.js';
import { BotStateMachine } from './bot-state.js';

function machine(result: unknown) {
  const published: unknown[] = [];
  const appended: unknown[] = [];
  const registry = new MetricsRegistry();
  const store = {
    transition: async () => result,
    get: async () => ({ id: 'b-1', tenantId: 't', sessionId: 's-1', status: 'stopped' }),
  } as unknown as BotStore;
  const released: string[] = [];
  const completion = {
    release: async (sessionId: string) => void released.push(sessionId),
  } as unknown as SessionCompletion;
  const offered: unknown[] = [];
  const webhooks = {
    offer: async (_sessionId: string, envelope: unknown) => void offered.push(envelope),
  } as unknown as WebhookOutbox;
  const publisher = {
    envelope: (type: string, payload: unknown) => ({ event_type: type, payload }),
    publishEnvelope: async (e: unknown) => void published.push(e),
  } as unknown as StreamEventPublisher;
  const log = {
    append: async (_s: string, e: unknown) => void appended.push(e),
  } as unknown as SessionEventLog;
  return {
    sm: new BotStateMachine(store, publisher, log, completion, webhooks, new BotMetrics(registry)),
    published,
    appended,
    released,
    offered,
    registry,
  };
}

const bot = { id: 'b-1', tenantId: 't' };

describe('BotStateMachine', () => {
  it('publishes an allowed move with its predecessor and appends it to the bot’s session log', async () => {
    const m = machine({
      ok: true,
      previous: 'joining',
      bot: { id: 'b-1', tenantId: 't', sessionId: 's-1', status: 'active' },
    });
    expect(await m.sm.move(bot, 'active')).toMatchObject({ status: 'active' });
    const expected = {
      event_type: 'BotStatusUpdate',
      payload: {
        bot_id: 'b-1',
        status: 'active',
        previous_status: 'joining',
        session_id: 's-1',
        tenant_id: 't',
      },
    };
    expect(m.published).toEqual([expected]);
    expect(m.appended).toEqual([expected]);
    expect(m.offered).toEqual([expected]); // to the session's webhook, when it has one
    expect(m.released).toEqual([]); // the bot is still in its meeting: its session stays held
  });

  it('a final status, once in the log, lets the bot’s session complete (also when repeated)', async () => {
    const stopped = machine({
      ok: true,
      previous: 'leaving',
      bot: { id: 'b-1', tenantId: 't', sessionId: 's-1', status: 'stopped' },
    });
    await stopped.sm.move(bot, 'stopped');
    expect(stopped.released).toEqual(['s-1']);
    const repeated = machine({ ok: false, reason: 'illegal', current: 'stopped' });
    expect(await repeated.sm.move(bot, 'failed')).toBeNull();
    expect(repeated.released).toEqual(['s-1']);
  });

  it('refuses an illegal move: nothing published, and it is counted', async () => {
    const m = machine({ ok: false, reason: 'illegal', current: 'stopped' });
    expect(await m.sm.move(bot, 'active')).toBeNull();
    expect(m.published).toEqual([]);
    expect(await m.registry.registry.metrics()).toMatch(
      /livetranslate_bot_illegal_transitions_total\{from="stopped",to="active"\} 1/,
    );
  });
});
