import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { BotInfo, BotList, BotStatus } from '@livetranslate/contracts';
import { SessionLifecycle } from '@livetranslate/ingest';
import { StreamEventPublisher } from '@livetranslate/redis-streams';
import { ApiError } from '@livetranslate/service-kit';
import { BotStore, type BotRecord, type BotTransition } from '@livetranslate/session-store';
import { GATEWAY_ENV, type GatewayEnv } from '../config/env.js';
import type { CreateBotDto } from './bot.dto.js';
import { SupportedLanguages } from '../languages/supported-languages.js';
import { WebhookUrls } from '../webhooks/webhook-urls.js';
import { nextCursorOf } from '../sessions/page-query.js';

/** Meeting bots for the API: tenant-scoped, created here and run by the bot-worker. */
@Injectable()
export class BotsService {
  constructor(
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
    private readonly store: BotStore,
    private readonly lifecycle: SessionLifecycle,
    private readonly publisher: StreamEventPublisher,
    private readonly languages: SupportedLanguages,
    private readonly webhooks: WebhookUrls,
  ) {}

  /**
   * Creates a bot (and its session) and asks the bot-worker to run it. A tenant's second request
   * for a meeting it already has a live bot in returns that bot (`created: false`).
   */
  async create(tenantId: string, request: CreateBotDto): Promise<{ bot: BotRecord; created: boolean }> {
    const simulated = request.meeting_url.startsWith('sim:');
    if (simulated !== (request.platform === 'simulated')) {
      throw new ApiError(
        400,
        'platform_mismatch',
        'platform "simulated" goes with sim:// meeting URLs, and only with them',
      );
    }
    await this.languages.check(request);
    await this.webhooks.check(request.webhook_url);
    const made = await this.store.create(
      {
        id: randomUUID(),
        tenantId,
        meetingUrl: request.meeting_url,
        platform: request.platform,
        botName: request.bot_name ?? 'LiveTranslate',
        sessionId: randomUUID(),
        sourceLanguage: request.source_language ?? 'auto',
        targetLanguages: [...new Set(request.target_languages ?? [])],
      },
      this.env.MAX_BOTS_PER_TENANT,
    );
    if (!made.created) {
      if (made.reason === 'duplicate') return { bot: made.bot, created: false };
      throw new ApiError(
        429,
        'too_many_bots',
        `this tenant has ${this.env.MAX_BOTS_PER_TENANT} bots queued or live (MAX_BOTS_PER_TENANT); stop one first`,
      );
    }
    const bot = made.bot;
    try {
      await this.lifecycle.open(
        tenantId,
        {
          source_language: bot.sourceLanguage,
          target_languages: bot.targetLanguages,
          ...(request.webhook_url ? { webhook_url: request.webhook_url } : {}),
        },
        { id: bot.sessionId, origin: 'bot' },
      );
    } catch (error) {
      await this.store.transition(tenantId, bot.id, 'failed', { reason: 'join_failed' });
      throw error;
    }
    await this.publisher.publish('BotRequested', {
      bot_id: bot.id,
      tenant_id: tenantId,
      meeting_url: bot.meetingUrl,
      platform: bot.platform,
      bot_name: bot.botName,
      session_id: bot.sessionId,
      source_language: bot.sourceLanguage,
      target_languages: bot.targetLanguages,
    });
    return { bot, created: true };
  }

  async find(tenantId: string, id: string): Promise<BotRecord> {
    const bot = await this.store.get(tenantId, id);
    if (!bot) throw new ApiError(404, 'bot_not_found', `bot ${id} not found`);
    return bot;
  }

  transitions(bot: BotRecord): Promise<BotTransition[]> {
    return this.store.transitions(bot.tenantId, bot.id);
  }

  list(tenantId: string, query: { status?: BotStatus; limit?: number; cursor?: string }) {
    return this.store.list(tenantId, {
      limit: query.limit ?? 20,
      ...(query.status ? { status: query.status } : {}),
      ...(query.cursor ? { cursor: Number(query.cursor) } : {}),
    });
  }

  /** Asks whichever worker runs the bot to stop it; the bot leaves, flushes its audio and ends `stopped`. */
  async stop(tenantId: string, id: string): Promise<BotRecord> {
    const bot = await this.find(tenantId, id);
    if (bot.status === 'stopped' || bot.status === 'failed') return bot;
    await this.publisher.publish('BotStopRequested', {
      bot_id: id,
      tenant_id: tenantId,
      reason: 'stop_requested',
    });
    return bot;
  }

  view(bot: BotRecord, baseUrl: string, transitions?: BotTransition[]): BotInfo {
    const session = `${baseUrl}/api/sessions/${bot.sessionId}`;
    return {
      bot_id: bot.id,
      status: bot.status,
      reason: bot.reason,
      stage: bot.stage,
      meeting_url: bot.meetingUrl,
      platform: bot.platform,
      bot_name: bot.botName,
      session_id: bot.sessionId,
      source_language: bot.sourceLanguage,
      target_languages: bot.targetLanguages,
      created_at: bot.createdAt,
      updated_at: bot.updatedAt,
      heartbeat_at: bot.heartbeatAt,
      recoveries: bot.recoveries,
      ...(transitions ? { transitions } : {}),
      urls: {
        session,
        events: `${session}/events`,
        transcript: `${session}/transcript`,
        websocket: `${baseUrl.replace(/^http/, 'ws')}/ws/sessions/${bot.sessionId}`,
      },
    };
  }

  listView(page: { bots: BotRecord[]; nextCursor: number | null }, baseUrl: string): BotList {
    return {
      bots: page.bots.map((bot) => this.view(bot, baseUrl)),
      next_cursor: nextCursorOf(page.nextCursor),
    };
  }
}
