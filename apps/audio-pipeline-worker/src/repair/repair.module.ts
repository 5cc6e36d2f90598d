import { Module } from '@nestjs/common';
import { SessionRepair } from './session-repair.js';

/** The check after a session's end that no chunk was lost with a replica. */
@Module({ providers: [SessionRepair] })
export class RepairModule {}
