import { Controller, UseFilters } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { AudioDraftReceived } from '@livetranslate/contracts';
import { OnEvent, StreamErrorFilter } from '@livetranslate/redis-streams';
import { DraftTranscriber } from './draft-transcriber.js';

@UseFilters(StreamErrorFilter)
@Controller()
export class DraftHandler {
  constructor(private readonly drafts: DraftTranscriber) {}

  @OnEvent('AudioDraftReceived')
  handle(@Payload() draft: AudioDraftReceived) {
    return this.drafts.process(draft);
  }
}
