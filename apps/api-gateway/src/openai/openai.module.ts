import { Module } from '@nestjs/common';
import { AudioModule } from '../audio/audio.module.js';
import { OpenAiAudioController } from './openai-audio.controller.js';
import { OpenAiAudio } from './openai-audio.service.js';

/** OpenAI's audio API (`/v1/audio/…`) on the platform's pipeline: code written for OpenAI points here. */
@Module({ imports: [AudioModule], controllers: [OpenAiAudioController], providers: [OpenAiAudio] })
export class OpenAiModule {}
