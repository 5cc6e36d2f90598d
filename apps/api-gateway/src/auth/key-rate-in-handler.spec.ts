import { Controller, Module, Post } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { parseKeyEntry } from './api-key-entries.js';
import { ApiKeyGuard, KeyRate, KeyRateInHandler, type KeyBudget } from './api-key.guard.js';
import { API_KEY_ENTRIES, ApiKeys } from './api-keys.js';
import { KeyRateLimit, RateLimitedError } from './key-rate-limit.js';

/** What happened, in order: the handler's start, and the budget's answer. */
const events: string[] = [];
let answer: (refused: boolean) => void = () => undefined;

/** A budget that answers when the test says (the real one counts in Redis; see the e2e tests). */
const budget = {
  consume: () =>
    new Promise<void>((resolve, reject) => {
      answer = (refused) => {
        events.push('budget answered');
        if (refused) reject(new RateLimitedError(7, 1));
        else resolve();
      };
    }),
};

@Controller()
class ChunkRoute {
  @Post('chunk')
  @KeyRateInHandler()
  async chunk(@KeyRate() rate: KeyBudget) {
    events.push('handler started');
    await rate.spent;
    return { stored: true };
  }
}

@Module({
  controllers: [ChunkRoute],
  providers: [
    { provide: API_KEY_ENTRIES, useValue: [parseKeyEntry('member-key:acme', false)] },
    ApiKeys,
    { provide: KeyRateLimit, useValue: budget },
    { provide: APP_GUARD, useClass: ApiKeyGuard },
  ],
})
class ChunkModule {}

describe('a @KeyRateInHandler() route under Nest', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await NestFactory.create<NestFastifyApplication>(ChunkModule, new FastifyAdapter(), {
      logger: false,
    });
    await app.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await app?.close();
  });
  beforeEach(() => (events.length = 0));

  const post = async () =>
    fetch(`${await app.getUrl()}/chunk`, { method: 'POST', headers: { 'x-api-key': 'member-key' } });

  async function handlerStarted(): Promise<void> {
    for (let i = 0; i < 200 && !events.includes('handler started'); i++)
      await new Promise((resolve) => setTimeout(resolve, 5));
  }

  it('runs the handler while the key’s budget is still being asked (its reads can join that round trip)', async () => {
    const response = post();
    await handlerStarted();
    answer(false);
    expect((await response).status).toBe(201);
    expect(events).toEqual(['handler started', 'budget answered']);
  });

  it('answers 429 with Retry-After when the budget refuses', async () => {
    const response = post();
    await handlerStarted();
    answer(true);
    const refused = await response;
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('7');
  });
});
