import { Inject, Injectable } from '@nestjs/common';
import { newSessionId, QUEUE_NAMES } from '@livetranslate/contracts';
import { ApiError, ConfigFollower, JobQueues } from '@livetranslate/service-kit';
import { INGEST_SETTINGS, type IngestSettings } from './ingest-settings.js';
import { RESULT_SLOTS, SessionCompletion, SessionResults } from '@livetranslate/session-store';
import { AudioIngest } from './audio-ingest.js';
import { LiveInputs } from './live-inputs.js';
import { SESSION_DEFAULTS, type SessionOptions } from './session-options.js';
import { SessionRepository, type SessionOrigin, type SessionRecord } from './session.repository.js';

/** Opens and ends sessions the same way for every audio source (clients, uploads, bots). */
@Injectable()
export class SessionLifecycle {
  constructor(
    private readonly repository: SessionRepository,
    private readonly inputs: LiveInputs,
    private readonly ingest: AudioIngest,
    @Inject(SessionResults) private readonly results: SessionResults,
    @Inject(SessionCompletion) private readonly completion: SessionCompletion,
    private readonly config: ConfigFollower,
    private readonly jobs: JobQueues,
    @Inject(INGEST_SETTINGS) private readonly settings: IngestSettings,
  ) {}

  /**
   * Opens a session for the tenant, with defaults for what the request leaves out. A bot's session
   * is opened with `origin: 'bot'` (and often an id chosen beforehand, to link the two).
   */
  async open(
    tenantId: string,
    request: Partial<SessionOptions>,
    how: { id?: string; origin?: SessionOrigin } = {},
  ): Promise<SessionRecord> {
    // Defaults for new sessions come from the configuration now in force for the tenant; a session
    // keeps what it started with (stored with it).
    const effective = this.config.effective(tenantId);
    const options: SessionOptions = {
      ...SESSION_DEFAULTS,
      chunk_ms: effective.chunking.chunk_ms,
      overlap_ms: effective.chunking.overlap_ms,
      target_languages: [...effective.translation.default_target_languages],
      ...stripUndefined(request),
    };
    if (options.overlap_ms * 2 > options.chunk_ms) {
      throw new ApiError(
        400,
        'invalid_overlap',
        `overlap_ms (${options.overlap_ms}) must be at most half of chunk_ms (${options.chunk_ms})`,
      );
    }
    options.target_languages = [...new Set(options.target_languages)];
    const id = how.id ?? newSessionId();
    const maxOpen = effective.limits.max_open_sessions_per_tenant;
    if (!(await this.repository.create(id, tenantId, options, how.origin ?? 'client', maxOpen))) {
      throw new ApiError(
        429,
        'too_many_sessions',
        `this tenant has reached its limit of ${maxOpen} open sessions; end one first`,
      );
    }
    return (await this.repository.get(id))!;
  }

  /**
   * Ends the input: audio buffered by live inputs (here and on other replicas) becomes a last chunk,
   * or, when the last input went away without a successor, the overlap it left for one; chunks
   * already sent still finish. `SessionEnded` reaches the log once, whoever ends it first; when
   * every chunk has its results already, `SessionCompleted` follows at once (else the worker writes
   * it with the last result, never before SessionEnded). Repeating an end repeats SessionEnded's
   * write (once per slot) and the completion check, so a crash in between is healed by the
   * client's retry.
   */
  async end(session: SessionRecord, reason: string): Promise<SessionRecord> {
    if (session.status === 'open') {
      await this.inputs.flush(session.id);
      await this.ingest.publishPendingOverlap(session);
    }
    const ended = await this.repository.end(session.id, session.tenantId);
    if (ended) {
      // Also on a repeated end (written once per slot either way): a crash right after closing the
      // session must not leave it without SessionEnded, which its completion waits for.
      await this.results.write(session.id, RESULT_SLOTS.ended, 'SessionEnded', {
        session_id: session.id,
        total_chunks: ended.chunks,
        reason,
      });
      // Later, a check that no chunk was lost with a replica that died while publishing it (one
      // job per session while it waits).
      await this.jobs.queue<{ sessionId: string }>(QUEUE_NAMES.sessionRepair).add(
        'repair',
        { sessionId: session.id },
        {
          jobId: `repair-${session.id}`,
          delay: this.settings.repairAfterMs,
          removeOnComplete: true,
          removeOnFail: { age: 86_400 },
        },
      );
      await this.completion.settle(session.id);
    }
    return (await this.repository.get(session.id)) ?? session;
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
