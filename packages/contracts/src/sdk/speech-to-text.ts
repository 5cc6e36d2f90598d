import type { CircuitState } from './resilient-http.js';
/** What the platform needs from any speech-to-text backend. */
export interface TranscribeRequest {
  audio: Uint8Array;
  /** e.g. `audio/wav`; raw PCM s16le needs `sampleRate`. */
  contentType?: string;
  filename?: string;
  sampleRate?: number;
  channels?: number;
  /** ISO 639-1 code, or omitted/`auto` to detect. */
  language?: string;
  model?: string;
  enableVad?: boolean;
  enableDiarization?: boolean;
  sessionId?: string;
  signal?: AbortSignal;
}

export interface TranscribedSegment {
  /** Milliseconds from the start of the audio sent. */
  startMs: number;
  endMs: number;
  text: string;
  speaker?: string;
  confidence: number;
}

export interface Transcription {
  text: string;
  language: string;
  confidence: number;
  segments: TranscribedSegment[];
  model: string;
  /** The service's own processing time. */
  processingMs: number;
}

export interface ServiceHealth {
  status: string;
  [key: string]: unknown;
}

export interface SpeechToTextClient {
  readonly backend: 'whisper' | 'openai';
  transcribe(request: TranscribeRequest): Promise<Transcription>;
  health(): Promise<ServiceHealth>;
  readonly circuitState: string;
  /** Calls `listener` each time the circuit to the service opens, half-opens or closes. */
  onCircuitChange(listener: (state: CircuitState) => void): void;
}
