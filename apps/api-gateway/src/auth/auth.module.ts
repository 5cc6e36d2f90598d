import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { ApiKeyEntry } from './api-key-entries.js';
import { ApiKeyGuard } from './api-key.guard.js';
import { API_KEY_ENTRIES, ApiKeys } from './api-keys.js';
import { KeyRateLimit } from './key-rate-limit.js';

/** API keys → callers, and the guard every route passes. Keys are loaded (and checked) before boot. */
@Global()
@Module({})
export class AuthModule {
  static forRoot(entries: readonly ApiKeyEntry[]): DynamicModule {
    return {
      module: AuthModule,
      providers: [
        { provide: API_KEY_ENTRIES, useValue: Object.freeze([...entries]) },
        ApiKeys,
        KeyRateLimit,
        { provide: APP_GUARD, useClass: ApiKeyGuard },
      ],
      exports: [ApiKeys, KeyRateLimit],
    };
  }
}
