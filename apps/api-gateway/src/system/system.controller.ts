import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiError } from '@livetranslate/service-kit';
import { CurrentCaller, RequireRole } from '../auth/api-key.guard.js';
import { hasRole } from '../auth/api-key-entries.js';
import type { Caller } from '../auth/api-keys.js';
import { AlertsQuery, UsageQuery } from './system.dto.js';
import { SystemService } from './system.service.js';

@ApiTags('system')
@ApiSecurity('api-key')
@Controller('api/system')
export class SystemController {
  constructor(private readonly system: SystemService) {}

  @Get('health')
  @ApiOperation({
    summary: 'Overall status and each service: status, latency, last check, streak, last error',
    description:
      'From the monitoring-worker\'s last round. status is the worst service status, or "unknown" when no round has run.',
  })
  health() {
    return this.system.health();
  }

  @Get('streams')
  @RequireRole('platform')
  @ApiOperation({
    summary: 'Per stream and consumer group: lag, pending, oldest pending age, consumers, DLQ depth',
  })
  streams() {
    return this.system.streams();
  }

  @Get('alerts')
  @RequireRole('platform')
  @ApiOperation({ summary: 'Active anomalies and the most recent ones raised or resolved' })
  alerts(@Query() query: AlertsQuery) {
    return this.system.alerts(query.limit);
  }

  @Get('usage')
  @ApiOperation({
    summary: 'Per-tenant usage per window, newest first',
    description: 'Platform keys see every tenant (or one with ?tenant=); other keys see their own.',
  })
  usage(@CurrentCaller() caller: Caller, @Query() query: UsageQuery) {
    const all = hasRole(caller.role, 'platform');
    if (!all && query.tenant && query.tenant !== caller.tenantId)
      throw new ApiError(403, 'forbidden', "only platform keys read another tenant's usage");
    return this.system.usage(query.limit, all ? query.tenant : caller.tenantId);
  }
}
