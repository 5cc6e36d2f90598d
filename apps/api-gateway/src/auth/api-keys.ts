import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { digestOf, type ApiKeyEntry, type Role } from './api-key-entries.js';

/** Who is calling: the tenant the key belongs to and what it may do. */
export interface Caller {
  tenantId: string;
  role: Role;
  /** Names the key without revealing it (a prefix of its digest): rate limits count by it. */
  keyId: string;
}

export const API_KEY_ENTRIES = Symbol('API_KEY_ENTRIES');

/** Resolves API keys to callers. Keys are compared by SHA-256 digest in constant time. */
@Injectable()
export class ApiKeys {
  constructor(@Inject(API_KEY_ENTRIES) private readonly entries: readonly ApiKeyEntry[]) {}

  callerOf(key: string | undefined): Caller | undefined {
    if (!key) return undefined;
    const digest = digestOf(key);
    let caller: Caller | undefined;
    // Every entry is compared, so the time taken says nothing about which one matched.
    for (const entry of this.entries) {
      if (timingSafeEqual(entry.digest, digest))
        caller = {
          tenantId: entry.tenant,
          role: entry.role,
          keyId: entry.digest.subarray(0, 12).toString('hex'),
        };
    }
    return caller;
  }

  /** The key of a request: `Authorization: Bearer …`, `X-API-Key`, or (WebSocket) `?token=`. */
  static keyFrom(
    headers: Record<string, string | string[] | undefined>,
    query?: URLSearchParams,
  ): string | undefined {
    const authorization = first(headers.authorization);
    const bearer = authorization?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
    return bearer ?? first(headers['x-api-key'])?.trim() ?? query?.get('token') ?? undefined;
  }
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
