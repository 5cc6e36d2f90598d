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
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { TenantId } from '../auth/api-key.guard.js';
import { baseUrlOf } from './base-url.js';
import { CreateSessionDto, ListSessionsQuery, SessionList, SessionView } from './session.dto.js';
import { SessionService } from './session.service.js';

@ApiTags('sessions')
@ApiSecurity('api-key')
@Controller('api/sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionService) {}

  @Post()
  @ApiOperation({ summary: 'Open a session; answers with the URLs to stream to and read from' })
  @ApiCreatedResponse({ type: SessionView })
  async create(@TenantId() tenantId: string, @Body() body: CreateSessionDto, @Req() request: FastifyRequest) {
    return this.sessions.view(await this.sessions.create(tenantId, body), baseUrlOf(request));
  }

  @Get()
  @ApiOperation({ summary: 'Your sessions, newest first; filter by state; page with next_cursor' })
  @ApiOkResponse({ type: SessionList })
  async list(
    @TenantId() tenantId: string,
    @Query() query: ListSessionsQuery,
    @Req() request: FastifyRequest,
  ) {
    return this.sessions.list(tenantId, query, baseUrlOf(request));
  }

  @Get(':id')
  @ApiOperation({
    summary: 'The session and its progress (with the ingest queue while chunks are processing)',
  })
  @ApiOkResponse({ type: SessionView })
  async get(
    @TenantId() tenantId: string,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Req() request: FastifyRequest,
  ) {
    return this.sessions.detail(await this.sessions.find(tenantId, id), baseUrlOf(request));
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiOperation({ summary: 'End the session: no more audio; chunks already sent still finish' })
  @ApiOkResponse({ type: SessionView })
  async end(
    @TenantId() tenantId: string,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Req() request: FastifyRequest,
  ) {
    return this.sessions.view(await this.sessions.end(tenantId, id, 'ended_by_client'), baseUrlOf(request));
  }
}
