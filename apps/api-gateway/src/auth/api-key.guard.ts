import {
  createParamDecorator,
  Injectable,
  SetMetadata,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiError } from '@livetranslate/service-kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { hasRole, type Role } from './api-key-entries.js';
import { ApiKeys, type Caller } from './api-keys.js';
import { KeyRateLimit, RateLimitedError } from './key-rate-limit.js';

const PUBLIC = Symbol('PUBLIC');
const REQUIRED_ROLE = Symbol('REQUIRED_ROLE');
const RATE_IN_HANDLER = Symbol('RATE_IN_HANDLER');

/** Marks a route that needs no API key (health, metrics, docs). */
export const Public = () => SetMetadata(PUBLIC, true);

/** The least role a route (or every route of a controller) needs; `member` when not declared. */
export const RequireRole = (role: Role) => SetMetadata(REQUIRED_ROLE, role);

/**
 * Marks a hot route whose handler awaits the key's request budget itself (`@KeyRate()`), together
 * with its own first reads: one round trip to Redis where the guard's check and the handler's reads
 * took two in a row. The handler must settle it before doing anything a refused request must not.
 */
export const KeyRateInHandler = () => SetMetadata(RATE_IN_HANDLER, true);

type AuthedRequest = FastifyRequest & { caller?: Caller; keyRate?: Promise<void> };

const PUBLIC_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Every route needs an API key mapped to a tenant, unless marked @Public(), and the role it declares;
 * each key has a request budget per minute (429 with Retry-After beyond it).
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly keys: ApiKeys,
    private readonly reflector: Reflector,
    private readonly rateLimit: KeyRateLimit,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    // Probes and scrapers carry no keys; these shared routes come from service-kit.
    if (PUBLIC_PATHS.has(request.routeOptions?.url ?? '')) return true;
    const key = ApiKeys.keyFrom(request.headers);
    const caller = this.keys.callerOf(key);
    if (!caller) {
      throw new ApiError(
        401,
        'unauthorized',
        key ? 'API key not recognised' : 'API key required (Authorization: Bearer <key> or X-API-Key)',
      );
    }
    const required = this.reflector.getAllAndOverride<Role | undefined>(REQUIRED_ROLE, targets) ?? 'member';
    if (!hasRole(caller.role, required)) {
      throw new ApiError(
        403,
        'forbidden',
        `this route needs the ${required} role; the key has ${caller.role}`,
      );
    }
    const budget = this.rateLimit.consume(caller).catch((error: unknown) => {
      if (error instanceof RateLimitedError)
        void context
          .switchToHttp()
          .getResponse<FastifyReply>()
          .header('retry-after', String(error.retryAfterSeconds));
      throw error;
    });
    request.caller = caller;
    if (this.reflector.getAllAndOverride<boolean>(RATE_IN_HANDLER, targets)) {
      // A pipe that refuses the request first leaves the budget unread: not an unhandled rejection.
      budget.catch(() => undefined);
      request.keyRate = budget;
      return true;
    }
    await budget;
    return true;
  }
}

/**
 * On a `@KeyRateInHandler()` route: the key's request budget being spent (`spent` rejects with a 429
 * past it). Wrapped, because Nest awaits a promise a parameter decorator returns before the handler
 * runs, which would put the round trip back in front of the handler's own.
 */
export interface KeyBudget {
  spent: Promise<void>;
}

export const KeyRate = createParamDecorator((_data: unknown, context: ExecutionContext): KeyBudget => ({
  spent: context.switchToHttp().getRequest<AuthedRequest>().keyRate ?? Promise.resolve(),
}));

/** The caller (tenant and role) the request's API key belongs to. */
export const CurrentCaller = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Caller =>
    context.switchToHttp().getRequest<AuthedRequest>().caller!,
);

/** The tenant the request's API key belongs to. */
export const TenantId = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string =>
    context.switchToHttp().getRequest<AuthedRequest>().caller!.tenantId,
);
