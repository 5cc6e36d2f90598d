import {
  createParamDecorator,
  Injectable,
  SetMetadata,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiError } from '@livetranslate/service-kit';
import type { FastifyRequest } from 'fastify';
import { ApiKeys } from './api-keys.js';

const PUBLIC = Symbol('PUBLIC');

/** Marks a route that needs no API key (health, metrics, docs). */
export const Public = () => SetMetadata(PUBLIC, true);

type AuthedRequest = FastifyRequest & { tenantId?: string };

const PUBLIC_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** Every route needs an API key mapped to a tenant, unless marked @Public(). */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly keys: ApiKeys,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, [context.getHandler(), context.getClass()]))
      return true;
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    // Probes and scrapers carry no keys; these shared routes come from service-kit.
    if (PUBLIC_PATHS.has(request.routeOptions?.url ?? '')) return true;
    const key = ApiKeys.keyFrom(request.headers);
    const tenant = this.keys.tenantOf(key);
    if (!tenant) {
      throw new ApiError(
        401,
        'unauthorized',
        key ? 'API key not recognised' : 'API key required (Authorization: Bearer <key> or X-API-Key)',
      );
    }
    request.tenantId = tenant;
    return true;
  }
}

/** The tenant the request's API key belongs to. */
export const TenantId = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  return context.switchToHttp().getRequest<AuthedRequest>().tenantId!;
});
