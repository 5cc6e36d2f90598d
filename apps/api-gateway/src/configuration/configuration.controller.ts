import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseIntPipe,
  Patch,
  Post,
  Put,
  Res,
} from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiError } from '@livetranslate/service-kit';
import type { ConfigVersion } from '@livetranslate/session-store';
import type { FastifyReply } from 'fastify';
import { CurrentCaller, RequireRole } from '../auth/api-key.guard.js';
import type { Caller } from '../auth/api-keys.js';
import { hasRole } from '../auth/api-key-entries.js';
import { ConfigurationService, type RequestAccepted } from './configuration.service.js';
import { RollbackDto } from './configuration.dto.js';

/** `"<version>"`: what GET answers as ETag and writers send back as If-Match. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/** The version an If-Match names; 428 without one, 400 when it is not a version. */
export function baseVersionOf(ifMatch: string | undefined): number {
  if (!ifMatch) {
    throw new ApiError(
      428,
      'precondition_required',
      'send If-Match with the ETag of the version you changed',
    );
  }
  const match = ifMatch.trim().match(/^(?:W\/)?"?(\d+)"?$/);
  if (!match) throw new ApiError(400, 'invalid_if_match', 'If-Match must be the ETag of a version, like "7"');
  return Number(match[1]);
}

function meta(caller: Caller, reason: string | undefined) {
  return { changedBy: `${caller.tenantId}/${caller.role}`, reason: reason ?? '' };
}

@ApiTags('config')
@ApiSecurity('api-key')
@Controller('api')
export class ConfigurationController {
  constructor(private readonly config: ConfigurationService) {}

  /** A new version (200, its ETag), or in worker mode the accepted request (202). */
  private answer(reply: FastifyReply, outcome: ConfigVersion | RequestAccepted) {
    if ('request_id' in outcome) {
      reply.status(202);
      return outcome;
    }
    reply.header('etag', etagOf(outcome.version));
    return outcome;
  }

  @Get('config')
  @RequireRole('platform')
  @ApiOperation({ summary: 'The current configuration version (ETag: its number)' })
  async get(@Res({ passthrough: true }) reply: FastifyReply) {
    return this.answer(reply, await this.config.current());
  }

  @Put('config')
  @RequireRole('platform')
  @ApiHeader({ name: 'If-Match', required: true, description: 'ETag of the version this replaces' })
  @ApiOperation({ summary: 'Replace the whole document (412 on a stale If-Match, 428 without one)' })
  async replace(
    @Headers('if-match') ifMatch: string | undefined,
    @Headers('x-change-reason') reason: string | undefined,
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const change = { kind: 'replace' as const, base: baseVersionOf(ifMatch), document: body };
    return this.answer(reply, await this.config.change(change, meta(caller, reason)));
  }

  @Patch('config')
  @RequireRole('platform')
  @ApiHeader({ name: 'If-Match', required: true })
  @ApiOperation({ summary: 'Change part of the document with a JSON Merge Patch (RFC 7396)' })
  async patch(
    @Headers('if-match') ifMatch: string | undefined,
    @Headers('x-change-reason') reason: string | undefined,
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const change = { kind: 'patch' as const, base: baseVersionOf(ifMatch), patch: body };
    return this.answer(reply, await this.config.change(change, meta(caller, reason)));
  }

  @Get('config/history')
  @RequireRole('platform')
  @ApiOperation({ summary: 'Every kept version, newest first: who changed what, when and why' })
  async history() {
    return { versions: await this.config.history() };
  }

  @Get('config/versions/:version')
  @RequireRole('platform')
  async version(@Param('version', new ParseIntPipe()) version: number) {
    return this.config.version(version);
  }

  @Post('config/rollback')
  @HttpCode(200)
  @RequireRole('platform')
  @ApiOperation({ summary: 'Restore an earlier version as the next one (409 if it fails its checksum)' })
  async rollback(
    @Body() body: RollbackDto,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const change = { kind: 'rollback' as const, version: body.version };
    return this.answer(reply, await this.config.change(change, meta(caller, body.reason)));
  }

  @Post('config/presets/:name')
  @HttpCode(200)
  @RequireRole('platform')
  @ApiOperation({
    summary:
      'Apply a chunking preset: exact_whisper_match, optimized_performance, high_accuracy, real_time_optimized',
  })
  async preset(
    @Param('name') name: string,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.answer(reply, await this.config.change({ kind: 'preset', name }, meta(caller, undefined)));
  }

  @Get('config/requests/:id')
  @RequireRole('admin')
  @ApiOperation({
    summary: 'Where a change request stands (CONFIG_SYNC_MODE=worker): pending, applied or rejected and why',
  })
  requestState(@Param('id') id: string) {
    return this.config.request(id);
  }

  @Get('config/status')
  @RequireRole('platform')
  @ApiOperation({ summary: 'Which version each replica runs, and whether the model services match' })
  status() {
    return this.config.status();
  }

  @Get('tenants/:tenant/config')
  @RequireRole('admin')
  @ApiOperation({ summary: "A tenant's overrides and the configuration its sessions follow" })
  async tenant(
    @Param('tenant') tenant: string,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    ownTenant(caller, tenant);
    const view = await this.config.tenant(tenant);
    reply.header('etag', etagOf(view.version));
    return view;
  }

  @Put('tenants/:tenant/config')
  @RequireRole('admin')
  @ApiHeader({ name: 'If-Match', required: true })
  @ApiOperation({ summary: "Replace a tenant's overrides (chunking, translation defaults, limits)" })
  replaceTenant(
    @Param('tenant') tenant: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Headers('x-change-reason') reason: string | undefined,
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.changeTenant({ tenant, ifMatch, reason, body, caller, reply }, false);
  }

  @Patch('tenants/:tenant/config')
  @RequireRole('admin')
  @ApiHeader({ name: 'If-Match', required: true })
  @ApiOperation({ summary: "Change part of a tenant's overrides with a JSON Merge Patch" })
  patchTenant(
    @Param('tenant') tenant: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Headers('x-change-reason') reason: string | undefined,
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.changeTenant({ tenant, ifMatch, reason, body, caller, reply }, true);
  }

  private async changeTenant(
    request: {
      tenant: string;
      ifMatch: string | undefined;
      reason: string | undefined;
      body: unknown;
      caller: Caller;
      reply: FastifyReply;
    },
    merge: boolean,
  ) {
    const { tenant, caller, reply } = request;
    ownTenant(caller, tenant);
    const base = baseVersionOf(request.ifMatch);
    const change = { kind: 'tenant' as const, base, tenant, overrides: request.body, merge };
    const outcome = await this.config.change(change, meta(caller, request.reason));
    if ('request_id' in outcome) return this.answer(reply, outcome);
    reply.header('etag', etagOf(outcome.version));
    return this.config.tenant(tenant, outcome);
  }
}

/** An admin key reaches only its own tenant's configuration; a platform key reaches every tenant's. */
export function ownTenant(caller: Caller, tenant: string): void {
  if (caller.tenantId !== tenant && !hasRole(caller.role, 'platform')) {
    throw new ApiError(404, 'tenant_not_found', `tenant ${tenant} not found`);
  }
}
