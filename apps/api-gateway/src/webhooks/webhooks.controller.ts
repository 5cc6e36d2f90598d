import { Controller, Get, Inject, Param, ParseUUIDPipe } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { WebhookLog, type WebhookDelivery } from '@livetranslate/session-store';
import { TenantId } from '../auth/api-key.guard.js';
import { SessionAccess } from '../sessions/session-access.js';

export class WebhookDeliveryView implements WebhookDelivery {
  @ApiProperty()
  event_id!: string;

  @ApiProperty({ enum: ['SessionCompleted', 'ProcessingFailed', 'BotStatusUpdate'] })
  event_type!: string;

  @ApiProperty()
  url!: string;

  @ApiProperty({ enum: ['pending', 'delivered', 'failed', 'refused'] })
  status!: WebhookDelivery['status'];

  @ApiProperty()
  attempts!: number;

  @ApiProperty()
  created_at!: string;

  @ApiPropertyOptional()
  last_attempt_at?: string;

  @ApiPropertyOptional({ description: 'The receiver’s HTTP status on the last attempt' })
  last_status?: number;

  @ApiPropertyOptional()
  last_error?: string;

  @ApiPropertyOptional()
  delivered_at?: string;
}

export class WebhookDeliveries {
  @ApiProperty({ type: [WebhookDeliveryView] })
  deliveries!: WebhookDeliveryView[];
}

@ApiTags('sessions')
@ApiSecurity('api-key')
@Controller('api/sessions/:id/webhooks')
export class WebhooksController {
  constructor(
    private readonly sessions: SessionAccess,
    @Inject(WebhookLog) private readonly log: WebhookLog,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The session’s webhook deliveries: each event, its attempts and outcome' })
  @ApiOkResponse({ type: WebhookDeliveries })
  async list(
    @TenantId() tenantId: string,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<WebhookDeliveries> {
    await this.sessions.find(tenantId, id);
    return { deliveries: await this.log.all(id) };
  }
}
