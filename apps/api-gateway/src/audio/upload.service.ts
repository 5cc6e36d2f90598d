import { Inject, Injectable } from '@nestjs/common';
import { encodeWav, type DecodedAudio } from '@livetranslate/audio';
import { parseDto } from '@livetranslate/service-kit';
import { GATEWAY_ENV, type GatewayEnv } from '../config/env.js';
import { SessionLogFanout } from '../delivery/session-log-fanout.js';
import {
  TranscriptAssembler,
  TranscriptService,
  type TranscriptView,
} from '../delivery/transcript.service.js';
import { CreateSessionDto } from '../sessions/session.dto.js';
import { SessionService } from '../sessions/session.service.js';
import type { SessionRecord } from '@livetranslate/ingest';
import { decodeUpload } from './audio-decoding.js';
import { AudioIngest, SESSION_DEFAULTS } from '@livetranslate/ingest';
import { planChunks } from './chunk-plan.js';

export interface UploadResult {
  session: SessionRecord;
  /** Present when the caller waited: complete, or what was done when the wait ran out. */
  transcript?: TranscriptView;
  /** With `transcript`: the session's results as they were folded into it, chunk by chunk. */
  results?: TranscriptAssembler;
}

/** A whole file: a session of its own, chunked here, optionally awaited to the last translation. */
@Injectable()
export class UploadService {
  constructor(
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
    private readonly sessions: SessionService,
    private readonly ingest: AudioIngest,
    private readonly fanout: SessionLogFanout,
    private readonly transcripts: TranscriptService,
  ) {}

  async upload(tenantId: string, bytes: Buffer, fields: Record<string, string>): Promise<UploadResult> {
    // `languages` is the form's older name for `target_languages`, kept as an alias.
    const { wait, sample_rate, languages: alias, target_languages: named, ...rest } = fields;
    const languages = named ?? alias;
    const request = parseDto(
      CreateSessionDto,
      {
        ...rest,
        ...(languages !== undefined
          ? {
              target_languages: languages
                .split(',')
                .map((l) => l.trim())
                .filter(Boolean),
            }
          : {}),
        ...(rest.diarization !== undefined
          ? { diarization: rest.diarization === 'true' || rest.diarization === '1' }
          : {}),
        ...(rest.chunk_ms !== undefined ? { chunk_ms: Number(rest.chunk_ms) } : {}),
        ...(rest.overlap_ms !== undefined ? { overlap_ms: Number(rest.overlap_ms) } : {}),
      },
      { forbidUnknown: true },
    );
    // Decode before creating anything: bad audio leaves no session behind.
    const audio = await decodeUpload(bytes, {
      sampleRate: sample_rate ? Number(sample_rate) : undefined,
      // Compressed audio comes down to the rate the session asks for (Whisper's own, by default).
      targetRate: request.sample_rate ?? SESSION_DEFAULTS.sample_rate,
    });
    const session = await this.sessions.create(tenantId, request);
    // Follow the log from the start before publishing, so no result can slip past the wait.
    const done = wait === 'true' || wait === '1' ? this.awaitTranscript(session) : undefined;
    let ended: SessionRecord;
    try {
      await this.publishChunks(session, audio);
    } finally {
      ended = await this.sessions.end(tenantId, session.id, 'upload_complete');
    }
    if (!done) return { session: ended };
    const results = await done;
    // Built from the record as it is now (ended), not as it was when the upload began.
    const transcript = results.view(await this.sessions.find(tenantId, session.id));
    return { session: ended, transcript, results };
  }

  private async publishChunks(session: SessionRecord, audio: DecodedAudio): Promise<void> {
    const rate = audio.sampleRate;
    const frames = audio.channels[0]?.length ?? 0;
    const toFrames = (ms: number) => Math.round((ms * rate) / 1000);
    const toMs = (n: number) => Math.round((n / rate) * 1000);
    for (const window of planChunks(
      frames,
      toFrames(session.options.chunk_ms),
      toFrames(session.options.overlap_ms),
    )) {
      await this.ingest.publish(session, {
        wav: encodeWav(
          audio.channels.map((c) => c.subarray(window.start, window.end)),
          rate,
        ),
        sampleRate: rate,
        channels: audio.channels.length,
        durationMs: toMs(window.end - window.start),
        overlapMs: toMs(window.overlap),
        trailingOverlapMs: toMs(window.trailingOverlap),
        newAudioMs: toMs(window.end - window.start - window.overlap),
        source: 'upload',
        rateLimited: false,
      });
    }
  }

  /**
   * Folds the session's log as it grows until SessionCompleted (or the wait runs out). When it did
   * not complete here (the wait ran out, or following failed) the log is read whole instead.
   */
  private async awaitTranscript(session: SessionRecord): Promise<TranscriptAssembler> {
    const assembler = new TranscriptAssembler(session.options.target_languages);
    let unsubscribe: (() => void) | undefined;
    let timer: NodeJS.Timeout | undefined;
    const completed = new Promise<void>((resolve) => {
      this.fanout
        .subscribe(session.id, '0-0', (entry) => {
          assembler.add(entry);
          if (assembler.complete) resolve();
        })
        .then((stop) => (unsubscribe = stop), resolve);
      timer = setTimeout(resolve, this.env.UPLOAD_WAIT_TIMEOUT_MS);
    });
    try {
      await completed;
    } finally {
      clearTimeout(timer);
      unsubscribe?.();
    }
    return assembler.complete ? assembler : this.transcripts.assemble(session);
  }
}
