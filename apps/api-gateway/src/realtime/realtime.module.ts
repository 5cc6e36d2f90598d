import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { SessionSocketServer } from './session-socket.server.js';
import { SocketAdmission } from './socket-admission.js';

/** `WS /ws/sessions/:id`: live audio in, the session's log out. */
@Module({
  imports: [SessionsModule, DeliveryModule],
  providers: [SocketAdmission, SessionSocketServer],
})
export class RealtimeModule {}
