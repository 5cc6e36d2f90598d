/** How a session cuts and processes its audio; fixed when it is opened. */
export interface SessionOptions {
  source_language: string;
  target_languages: string[];
  diarization: boolean;
  chunk_ms: number;
  overlap_ms: number;
  sample_rate: number;
  /** Where SessionCompleted, ProcessingFailed and bot status changes are POSTed (signed), if anywhere. */
  webhook_url?: string;
}

/** Defaults a session gets when the request leaves them out. */
export const SESSION_DEFAULTS: Readonly<SessionOptions> = Object.freeze({
  source_language: 'auto',
  target_languages: [],
  diarization: false,
  chunk_ms: 3000,
  overlap_ms: 500,
  sample_rate: 16000,
});

export const SUPPORTED_SAMPLE_RATES = [8000, 16000, 22050, 24000, 32000, 44100, 48000] as const;
