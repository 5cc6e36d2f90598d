import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiError } from '@livetranslate/service-kit';
import { parseKeyEntry } from './api-key-entries.js';
import { ApiKeyGuard, KeyRateInHandler, Public, RequireRole } from './api-key.guard.js';
import { ApiKeys, type Caller } from './api-keys.js';
import { RateLimitedError, type KeyRateLimit } from './key-rate-limit.js';

class Routes {
  open() {}
  @Public()
  health() {}
  @RequireRole('admin')
  settings() {}
  @RequireRole('platform')
  global() {}
  @KeyRateInHandler()
  chunk() {}
}

const keys = new ApiKeys([
  parseKeyEntry('member-key:acme', false),
  parseKeyEntry('admin-key:acme:admin', false),
  parseKeyEntry('platform-key:ops:platform', false),
]);
/** A budget of `budget` requests per key (the real one counts in Redis; see the e2e tests). */
function limiter(budget: number) {
  const used = new Map<string, number>();
  return {
    consume: async (caller: Caller) => {
      used.set(caller.keyId, (used.get(caller.keyId) ?? 0) + 1);
      if (used.get(caller.keyId)! > budget) throw new RateLimitedError(7, budget);
    },
  } as unknown as KeyRateLimit;
}
let guard = new ApiKeyGuard(keys, new Reflector(), limiter(1_000));

async function attempt(route: keyof Routes, headers: Record<string, string> = {}) {
  const request: {
    headers: Record<string, string>;
    routeOptions: { url: string };
    caller?: Caller;
    keyRate?: Promise<void>;
  } = { headers, routeOptions: { url: `/api/${route}` } };
  const replyHeaders: Record<string, string> = {};
  const context = {
    getHandler: () => Routes.prototype[route],
    getClass: () => Routes,
    switchToHttp: () => ({
      getRequest: () => request,
      getResponse: () => ({ header: (name: string, value: string) => (replyHeaders[name] = value) }),
    }),
  } as unknown as ExecutionContext;
  try {
    await guard.canActivate(context);
    // A route that awaits the key's budget itself answers as that budget settles.
    await request.keyRate;
    return { status: 200, caller: request.caller };
  } catch (error) {
    const failure = { status: (error as ApiError).getStatus(), code: (error as ApiError).code };
    return Object.keys(replyHeaders).length ? { ...failure, headers: replyHeaders } : failure;
  }
}

describe('ApiKeyGuard', () => {
  it('needs a known key, and hands the caller (tenant, role, key id) to the route', async () => {
    expect(await attempt('open')).toEqual({ status: 401, code: 'unauthorized' });
    expect(await attempt('open', { 'x-api-key': 'nope-nope' })).toEqual({
      status: 401,
      code: 'unauthorized',
    });
    expect(await attempt('open', { authorization: 'Bearer member-key' })).toEqual({
      status: 200,
      caller: { tenantId: 'acme', role: 'member', keyId: expect.stringMatching(/^[0-9a-f]{24}$/) },
    });
  });

  it('lets public routes through without a key', async () => {
    expect((await attempt('health')).status).toBe(200);
  });

  it('refuses a route to a key below the role it declares (403), and admits higher roles', async () => {
    expect(await attempt('settings', { 'x-api-key': 'member-key' })).toEqual({
      status: 403,
      code: 'forbidden',
    });
    expect((await attempt('settings', { 'x-api-key': 'admin-key' })).status).toBe(200);
    expect((await attempt('settings', { 'x-api-key': 'platform-key' })).status).toBe(200);
    expect(await attempt('global', { 'x-api-key': 'admin-key' })).toEqual({ status: 403, code: 'forbidden' });
    expect((await attempt('global', { 'x-api-key': 'platform-key' })).status).toBe(200);
  });

  it('answers 429 with Retry-After past a key’s budget, per key', async () => {
    guard = new ApiKeyGuard(keys, new Reflector(), limiter(2));
    expect((await attempt('open', { 'x-api-key': 'member-key' })).status).toBe(200);
    expect((await attempt('open', { 'x-api-key': 'member-key' })).status).toBe(200);
    expect(await attempt('open', { 'x-api-key': 'member-key' })).toEqual({
      status: 429,
      code: 'rate_limited',
      headers: { 'retry-after': '7' },
    });
    expect((await attempt('open', { 'x-api-key': 'admin-key' })).status).toBe(200);
  });

  it('leaves the budget to a route that awaits it with its own reads, refusing the same way', async () => {
    guard = new ApiKeyGuard(keys, new Reflector(), limiter(1));
    expect((await attempt('chunk', { 'x-api-key': 'member-key' })).status).toBe(200);
    expect(await attempt('chunk', { 'x-api-key': 'member-key' })).toEqual({
      status: 429,
      code: 'rate_limited',
      headers: { 'retry-after': '7' },
    });
  });

  it('does not wait for the budget itself on such a route (the handler asks it with its reads)', async () => {
    let release!: () => void;
    const slow = { consume: () => new Promise<void>((resolve) => (release = resolve)) };
    guard = new ApiKeyGuard(keys, new Reflector(), slow as unknown as KeyRateLimit);
    const request = { headers: { 'x-api-key': 'member-key' }, routeOptions: { url: '/api/chunk' } };
    const context = {
      getHandler: () => Routes.prototype.chunk,
      getClass: () => Routes,
      switchToHttp: () => ({ getRequest: () => request, getResponse: () => ({ header: () => undefined }) }),
    } as unknown as ExecutionContext;
    // Resolves while the budget is still unanswered; the budget rides on the request.
    await expect(guard.canActivate(context)).resolves.toBe(true);
    const budget = (request as { keyRate?: Promise<void> }).keyRate!;
    release();
    await expect(budget).resolves.toBeUndefined();
  });
});
