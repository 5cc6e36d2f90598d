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
  complete: boolean;
  chunks: { accepted: number; transcribed: number; failed: number };
  language: string | null;
  text: string;
  segments: Array<{ start_ms: number; end_ms: number; text: string; speaker?: string; confidence: number }>;
  translations: Record<string, { text: string; chunks: Array<{ seq: number; text: string }> }>;
  failures: Array<Record<string, unknown>>;
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
