import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { AudioController } from './audio.controller.js';
import { UploadReader } from './upload-reader.js';
import { UploadService } from './upload.service.js';

/** Audio over HTTP: one chunk into a session, or a whole file chunked here (optionally awaited). */
@Module({
  imports: [SessionsModule, DeliveryModule],
  controllers: [AudioController],
  providers: [UploadService, UploadReader],
  exports: [UploadService, UploadReader],
})
export class AudioModule {}
