import type { BotRequested, BotStatus, BotStopRequested } from '@livetranslate/contracts';
import type { JobQueues } from '@livetranslate/service-kit';
import type { BotRecord, BotStore } from '@livetranslate/session-store';
import { BotControl } from './bot-control.service.js';
import type { BotRunner } from './bot-runner.js';
import type { BotStateMachine } from './bot-state.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * A store whose reads answer when the test says so, as a cluster's nodes do: each bot's record
 * lives on its own node, and a busy node answers later than an idle one.
 */
function harness() {
  const steps: string[] = [];
  const records = new Map<string, BotRecord>();
  const pendingReads = new Map<string, () => void>();
  const store = {
    get: (_tenant: string, id: string) =>
      new Promise<BotRecord | null>((resolve) => {
        steps.push(`read ${id}`);
        pendingReads.set(id, () => resolve(records.get(id) ?? null));
      }),
    requestStop: async (_tenant: string, id: string) => {
      steps.push(`stop-requested ${id}`);
      return true;
    },
  } as unknown as BotStore;
  const state = {
    move: async (bot: BotRecord, to: BotStatus) => {
      records.set(bot.id, { ...bot, status: to });
      steps.push(`${to} ${bot.id}`);
    },
  } as unknown as BotStateMachine;
  const queue = {
    add: async (_name: string, data: { botId: string }) => void steps.push(`job ${data.botId}`),
    getJob: async () => undefined,
  };
  const queues = { queue: () => queue } as unknown as JobQueues;
  const runner = {
    endUnstarted: async (bot: BotRecord) => void steps.push(`ended ${bot.id}`),
  } as unknown as BotRunner;
  const control = new BotControl(store, state, queues, runner);
  const bot = (id: string) => {
    records.set(id, { id, tenantId: 't', status: 'requested' } as BotRecord);
    return { tenant_id: 't', bot_id: id } as BotRequested;
  };
  const answer = async (id: string) => {
    for (let i = 0; i < 10 && !pendingReads.has(id); i++) await tick();
    pendingReads.get(id)?.();
    pendingReads.delete(id);
  };
  return { control, steps, bot, answer };
}

describe('BotControl', () => {
  it('queues bots in the order they were requested, however their reads answer', async () => {
    const { control, steps, bot, answer } = harness();
    const first = control.request(bot('a'));
    const second = control.request(bot('b'));
    await tick();
    // Only the first command runs: the second waits for it, so its fast read cannot overtake.
    expect(steps).toEqual(['read a']);
    await answer('a');
    await first;
    await answer('b');
    await second;
    expect(steps).toEqual(['read a', 'queued a', 'job a', 'read b', 'queued b', 'job b']);
  });

  it('runs the next command after one that failed', async () => {
    const { control, steps, bot, answer } = harness();
    const unknown = { tenant_id: 't', bot_id: 'gone' } as BotRequested;
    const failing = control.request(unknown);
    const next = control.request(bot('c'));
    await answer('gone');
    await expect(failing).rejects.toThrow(/does not exist/);
    await answer('c');
    await next;
    expect(steps).toEqual(['read gone', 'read c', 'queued c', 'job c']);
  });

  it('never lets a stop overtake the request it stops', async () => {
    const { control, steps, bot, answer } = harness();
    const requested = control.request(bot('d'));
    const stopped = control.stop({ tenant_id: 't', bot_id: 'd' } as BotStopRequested);
    await tick();
    expect(steps).toEqual(['read d']);
    await answer('d');
    await requested;
    await answer('d');
    await stopped;
    expect(steps.slice(0, 4)).toEqual(['read d', 'queued d', 'job d', 'stop-requested d']);
  });
});
