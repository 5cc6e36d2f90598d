import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TenantId } from '../auth/api-key.guard.js';
import { baseUrlOf } from '../sessions/base-url.js';
import { CreateBotDto, ListBotsQuery } from './bot.dto.js';
import { BotsService } from './bots.service.js';

@ApiTags('bots')
@ApiSecurity('api-key')
@Controller('api/bots')
export class BotsController {
  constructor(private readonly bots: BotsService) {}

  @Post()
  @ApiOperation({
    summary: 'Send a bot to a meeting (201); a live bot of yours already there is returned instead (200)',
  })
  async create(
    @TenantId() tenantId: string,
    @Body() body: CreateBotDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { bot, created } = await this.bots.create(tenantId, body);
    reply.status(created ? 201 : 200);
    return this.bots.view(bot, baseUrlOf(request));
  }

  @Get()
  @ApiOperation({ summary: 'Your bots, newest first; filter by status; page with next_cursor' })
  async list(@TenantId() tenantId: string, @Query() query: ListBotsQuery, @Req() request: FastifyRequest) {
    return this.bots.listView(await this.bots.list(tenantId, query), baseUrlOf(request));
  }

  @Get(':id')
  @ApiOperation({ summary: 'A bot: status, reason, every transition with its time, its session' })
  async get(
    @TenantId() tenantId: string,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Req() request: FastifyRequest,
  ) {
    const bot = await this.bots.find(tenantId, id);
    return this.bots.view(bot, baseUrlOf(request), await this.bots.transitions(bot));
  }

  @Delete(':id')
  @HttpCode(202)
  @ApiOperation({ summary: 'Stop the bot: it leaves, its last audio becomes a final chunk, it ends stopped' })
  async stop(
    @TenantId() tenantId: string,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Req() request: FastifyRequest,
  ) {
    return this.bots.view(await this.bots.stop(tenantId, id), baseUrlOf(request));
  }
}
