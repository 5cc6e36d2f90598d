import { Module } from '@nestjs/common';
import { ConfigSnapshotHandler } from './config-snapshot.handler.js';
import { DriftCheckProcessor } from './drift-check.processor.js';
import { ModelSync } from './model-sync.service.js';

/** The model services follow the stored configuration; drift is found, reported and fixed. */
@Module({ controllers: [ConfigSnapshotHandler], providers: [ModelSync, DriftCheckProcessor] })
export class SyncModule {}
