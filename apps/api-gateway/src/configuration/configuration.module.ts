import { Module } from '@nestjs/common';
import { ConfigurationController } from './configuration.controller.js';
import { ConfigurationService } from './configuration.service.js';

/** `/api/config` and `/api/tenants/:tenant/config`: the versioned configuration (CONFIG_SYNC_MODE=api). */
@Module({ controllers: [ConfigurationController], providers: [ConfigurationService] })
export class ConfigurationModule {}
