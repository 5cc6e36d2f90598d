import type { ProcessingFailed, TranscriptSegment } from '../events/audio.events.js';

/** Shapes of the gateway's REST API as the SDK sees them (the OpenAPI document at /docs is the reference). */
export interface SessionOptionsInput {
  source_language?: string;
  target_languages?: string[];
  diarization?: boolean;
  chunk_ms?: number;
  overlap_ms?: number;
  sample_rate?: number;
}

export interface SessionInfo {
  session_id: string;
  status: 'open' | 'ended' | 'processing';
  created_at: string;
  chunks: number;
  options: Required<SessionOptionsInput>;
  urls: { websocket: string; events: string; audio: string; transcript: string };
}

/** One entry of a session's event log, as delivered over WebSocket and SSE. */
export interface SessionEvent<P = Record<string, unknown>> {
  /** Log position: resume after it. */
  id: string;
  event_type: string;
  event_id: string;
  timestamp: string;
  payload: P;
}

export interface TranscriptInfo {
  session_id: string;
  status: 'open' | 'ended';
  /** True once the session ended and every chunk has its transcript and translations (or a failure). */
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
