import { Module } from '@nestjs/common';
import { SystemController } from './system.controller.js';
import { SystemService } from './system.service.js';

/** `/api/system/*`: the monitoring-worker's view of the running system (health, streams, alerts, usage). */
@Module({ controllers: [SystemController], providers: [SystemService] })
export class SystemModule {}
