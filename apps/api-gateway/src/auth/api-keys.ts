import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { GATEWAY_ENV, type GatewayEnv } from '../config/env.js';

/** Resolves API keys to tenants. Keys are compared by hash in constant time. */
@Injectable()
export class ApiKeys {
  private readonly byHash: Array<{ hash: Buffer; tenant: string }>;

  constructor(@Inject(GATEWAY_ENV) env: GatewayEnv) {
    this.byHash = env.API_KEYS.map((pair) => {
      const at = pair.lastIndexOf(':');
      return { hash: digest(pair.slice(0, at)), tenant: pair.slice(at + 1) };
    });
  }

  tenantOf(key: string | undefined): string | undefined {
    if (!key) return undefined;
    const hash = digest(key);
    let tenant: string | undefined;
    for (const entry of this.byHash) if (timingSafeEqual(entry.hash, hash)) tenant = entry.tenant;
    return tenant;
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

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
