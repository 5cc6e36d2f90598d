import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiError } from '@livetranslate/service-kit';
import { parseKeyEntry } from './api-key-entries.js';
import { ApiKeyGuard, Public, RequireRole } from './api-key.guard.js';
import { ApiKeys, type Caller } from './api-keys.js';

class Routes {
  open() {}
  @Public()
  health() {}
  @RequireRole('admin')
  settings() {}
  @RequireRole('platform')
  global() {}
}

const keys = new ApiKeys([
  parseKeyEntry('member-key:acme', false),
  parseKeyEntry('admin-key:acme:admin', false),
  parseKeyEntry('platform-key:ops:platform', false),
]);
const guard = new ApiKeyGuard(keys, new Reflector());

function attempt(route: keyof Routes, headers: Record<string, string> = {}) {
  const request: { headers: Record<string, string>; routeOptions: { url: string }; caller?: Caller } = {
    headers,
    routeOptions: { url: `/api/${route}` },
  };
  const context = {
    getHandler: () => Routes.prototype[route],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
  try {
    guard.canActivate(context);
    return { status: 200, caller: request.caller };
  } catch (error) {
    return { status: (error as ApiError).getStatus(), code: (error as ApiError).code };
  }
}

describe('ApiKeyGuard', () => {
  it('needs a known key, and hands the caller (tenant and role) to the route', () => {
    expect(attempt('open')).toEqual({ status: 401, code: 'unauthorized' });
    expect(attempt('open', { 'x-api-key': 'nope-nope' })).toEqual({ status: 401, code: 'unauthorized' });
    expect(attempt('open', { authorization: 'Bearer member-key' })).toEqual({
      status: 200,
      caller: { tenantId: 'acme', role: 'member' },
    });
  });

  it('lets public routes through without a key', () => {
    expect(attempt('health').status).toBe(200);
  });

  it('refuses a route to a key below the role it declares (403), and admits higher roles', () => {
    expect(attempt('settings', { 'x-api-key': 'member-key' })).toEqual({ status: 403, code: 'forbidden' });
    expect(attempt('settings', { 'x-api-key': 'admin-key' }).status).toBe(200);
    expect(attempt('settings', { 'x-api-key': 'platform-key' }).status).toBe(200);
    expect(attempt('global', { 'x-api-key': 'admin-key' })).toEqual({ status: 403, code: 'forbidden' });
    expect(attempt('global', { 'x-api-key': 'platform-key' }).status).toBe(200);
  });
});
