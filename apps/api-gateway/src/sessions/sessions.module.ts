import { Module } from '@nestjs/common';
import { SessionAccess } from './session-access.js';
import { SessionService } from './session.service.js';
import { SessionsController } from './sessions.controller.js';

/** `/api/sessions`: open, read and end sessions; the tenant check every other feature uses. */
@Module({
  controllers: [SessionsController],
  providers: [SessionAccess, SessionService],
  exports: [SessionAccess, SessionService],
})
export class SessionsModule {}
