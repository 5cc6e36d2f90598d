import { Module } from '@nestjs/common';
import { ConfigRequests } from './config-requests.service.js';
import { ConfigSyncHandler } from './config-sync.handler.js';
import { DriftCheckProcessor } from './drift-check.processor.js';
import { ModelSync } from './model-sync.service.js';

/** Change requests applied in order (worker mode); the model services follow the stored configuration. */
@Module({ controllers: [ConfigSyncHandler], providers: [ModelSync, ConfigRequests, DriftCheckProcessor] })
export class SyncModule {}
