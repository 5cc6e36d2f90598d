import { Module } from '@nestjs/common';
import { DraftHandler } from './draft.handler.js';
import { DraftTranscriber } from './draft-transcriber.js';

/** AudioDraftReceived → TranscriptionDraft to the session's connected clients, shed first under load. */
@Module({ controllers: [DraftHandler], providers: [DraftTranscriber] })
export class DraftsModule {}
