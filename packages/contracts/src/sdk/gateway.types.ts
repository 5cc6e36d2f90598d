import type { ProcessingFailed, TranscriptSegment } from '../events/audio.events.js';

/** Shapes of the gateway's REST API as the SDK sees them (the OpenAPI document at /docs is the reference). */
export interface SessionOptionsInput {
  source_language?: string;
  target_languages?: string[];
  diarization?: boolean;
  chunk_ms?: number;
  overlap_ms?: number;
  sample_rate?: number;
  /** Where SessionCompleted and each ProcessingFailed are POSTed, signed (see the README). */
  webhook_url?: string;
}

export interface SessionInfo {
  session_id: string;
  status: 'open' | 'ended';
  /** open: takes audio; ended: input ended, results still coming; completed: every chunk is over. */
  state: 'open' | 'ended' | 'completed';
  created_at: string;
  chunks: number;
  /** Audio stored so far, in ms of the session timeline (where a resumed stream continues). */
  audio_ms: number;
  options: Required<SessionOptionsInput>;
  progress: SessionProgressInfo;
  urls: { websocket: string; events: string; audio: string; transcript: string };
}

export interface LanguagesInfo {
  languages: Array<{ code: string; name: string }>;
  max_target_languages: number;
}

export interface SessionList {
  sessions: SessionInfo[];
  /** Pass as `cursor` for the next page; null on the last. */
  next_cursor: string | null;
}

/** How far a session's processing is (see GET /api/sessions/:id). */
export interface SessionProgressInfo {
  chunks_accepted: number;
  chunks_completed: number;
  chunks_failed: number;
  chunks_processing: number;
  /** The input ended and every chunk is over. */
  complete: boolean;
  /** While chunks are processing (GET only): the queue they wait in, and the workers taking it. */
  ingest_queue?: { waiting: number | null; in_progress: number; workers: number };
}

/** One entry of a session's event log, as delivered over WebSocket and SSE. */
export interface SessionEvent<P = Record<string, unknown>> {
  /** Log position: resume after it. '' for a live-only event (TranscriptionDraft): not in the log. */
  id: string;
  event_type: string;
  event_id: string;
  timestamp: string;
  payload: P;
}

export interface TranscriptInfo {
  session_id: string;
  status: 'open' | 'ended';
  /** True once the session's SessionCompleted is in its log: every chunk has its results or a failure. */
  complete: boolean;
  chunks: { accepted: number; transcribed: number; failed: number };
  language: string | null;
  text: string;
  segments: TranscriptSegment[];
  translations: Record<string, { text: string; chunks: Array<{ seq: number; text: string }> }>;
  failures: ProcessingFailed[];
  /** Log position this view reflects. */
  last_event_id: string | null;
}

export interface UploadInfo extends SessionInfo {
  transcript?: TranscriptInfo;
}

export interface ChunkAccepted {
  session_id: string;
  chunk_id: string;
  seq: number;
  start_ms: number;
  duration_ms: number;
}

export interface BotRequestInput {
  /** `https://…` for a real meeting, `sim://<meeting>?…` for a simulated one. */
  meeting_url: string;
  platform: 'google_meet' | 'zoom' | 'teams' | 'simulated';
  bot_name?: string;
  source_language?: string;
  target_languages?: string[];
  /** Where the bot's status changes and its session's completion and failures are POSTed, signed. */
  webhook_url?: string;
}

export interface BotTransitionInfo {
  status: string;
  previous_status: string | null;
  reason: string | null;
  stage: string | null;
  at: string;
}

export interface BotInfo {
  bot_id: string;
  status: string;
  /** Why it is where it is; for stopped/failed, one of the documented end reasons. */
  reason: string | null;
  /** For failed/worker_lost: the state it was in when its worker was lost. */
  stage: string | null;
  meeting_url: string;
  platform: string;
  bot_name: string;
  session_id: string;
  source_language: string;
  target_languages: string[];
  created_at: string;
  updated_at: string;
  heartbeat_at: string | null;
  recoveries: number;
  /** Every transition with its time (on GET /api/bots/:id). */
  transitions?: BotTransitionInfo[];
  urls: { session: string; events: string; transcript: string; websocket: string };
}

export interface BotList {
  bots: BotInfo[];
  next_cursor: string | null;
}
