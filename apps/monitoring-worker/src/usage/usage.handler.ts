import { Controller, UseFilters } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type {
  AudioChunkReceived,
  ProcessingFailed,
  TranscriptionCompleted,
  TranslationCompleted,
} from '@livetranslate/contracts';
import { OnEvent, StreamErrorFilter } from '@livetranslate/redis-streams';
import { UsageCounter } from './usage-counter.js';

/** Counts what each tenant used, from the audio streams (group `monitoring`). */
@UseFilters(StreamErrorFilter)
@Controller()
export class UsageHandler {
  constructor(private readonly usage: UsageCounter) {}

  @OnEvent('AudioChunkReceived')
  chunk(@Payload() chunk: AudioChunkReceived) {
    return this.usage.count(
      chunk.tenant_id,
      { chunks_received: 1, audio_seconds: chunk.duration_ms / 1000 },
      chunk.session_id,
    );
  }

  @OnEvent('TranscriptionCompleted')
  async transcribed(@Payload() result: TranscriptionCompleted) {
    await this.usage.count(await this.usage.tenantOf(result.session_id), { chunks_processed: 1 });
  }

  @OnEvent('TranslationCompleted')
  async translated(@Payload() result: TranslationCompleted) {
    await this.usage.count(await this.usage.tenantOf(result.session_id), { translations: 1 });
  }

  @OnEvent('ProcessingFailed')
  async failed(@Payload() failure: ProcessingFailed) {
    await this.usage.count(await this.usage.tenantOf(failure.session_id), { failures: 1 });
  }
}
