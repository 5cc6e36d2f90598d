import {
  OpenAiModelsBody,
  OpenAiVerboseBody,
  ServiceConfigBody,
  WhisperHealthBody,
  WhisperModelsBody,
  WhisperTranscriptionBody,
} from './downstream.contract.js';
import {
  ResilientHttp,
  ServiceConfigApi,
  type CircuitState,
  type HttpClientOptions,
  type MultipartBody,
} from './resilient-http.js';
import { InvalidAudioError, InvalidRequestError } from './service-errors.js';
import type {
  ServiceHealth,
  SpeechToTextClient,
  TranscribeRequest,
  Transcription,
} from './speech-to-text.js';

export const WHISPER_SERVICE = 'whisper';

/** 400/415 about the audio are InvalidAudioError, so callers can fail a chunk without retrying. */
function whisperClientError(status: number, code: string, message: string) {
  if (status === 415 || code === 'invalid_audio' || code === 'unsupported_audio') {
    return new InvalidAudioError(WHISPER_SERVICE, code, message, status);
  }
  return new InvalidRequestError(WHISPER_SERVICE, code, message, status);
}

function audioFile(request: TranscribeRequest, name: string): MultipartBody['files'][number] {
  return {
    name,
    filename: request.filename ?? 'audio.wav',
    type: request.contentType ?? 'audio/wav',
    bytes: request.audio,
  };
}

/** The Whisper service's own contract: `POST /transcribe` and friends. */
export class WhisperClient implements SpeechToTextClient {
  readonly backend = 'whisper' as const;
  private readonly http: ResilientHttp;
  private readonly config: ServiceConfigApi;

  constructor(options: HttpClientOptions) {
    this.http = new ResilientHttp(WHISPER_SERVICE, options);
    this.config = new ServiceConfigApi(this.http);
  }

  get circuitState() {
    return this.http.circuitState;
  }

  onCircuitChange(listener: (state: CircuitState) => void): void {
    this.http.onCircuitChange(listener);
  }

  async transcribe(request: TranscribeRequest): Promise<Transcription> {
    const given: Record<string, string | number | boolean | undefined> = {
      language: request.language,
      model: request.model,
      enable_vad: request.enableVad,
      enable_diarization: request.enableDiarization,
      session_id: request.sessionId,
      sample_rate: request.sampleRate,
      channels: request.channels,
    };
    const fields: Record<string, string> = {};
    for (const [key, value] of Object.entries(given)) if (value !== undefined) fields[key] = String(value);
    const body = await this.http.request({
      method: 'POST',
      path: '/transcribe',
      form: { fields, files: [audioFile(request, 'audio')] },
      responseType: WhisperTranscriptionBody,
      clientError: whisperClientError,
      ...(request.signal ? { signal: request.signal } : {}),
    });
    return {
      text: body.text,
      language: body.language,
      confidence: body.confidence ?? average(body.segments.map((s) => s.confidence ?? 0)),
      segments: body.segments.map((s) => ({
        startMs: Math.round(s.start * 1000),
        endMs: Math.round(s.end * 1000),
        text: s.text,
        ...(s.speaker ? { speaker: s.speaker } : {}),
        confidence: s.confidence ?? body.confidence ?? 0,
      })),
      model: body.model_used,
      processingMs: Number((body.processing_time * 1000).toFixed(3)),
    };
  }

  async health(): Promise<ServiceHealth> {
    return this.http.request({
      method: 'GET',
      path: '/health',
      responseType: WhisperHealthBody,
    }) as Promise<ServiceHealth>;
  }

  async models(): Promise<WhisperModelsBody> {
    return this.http.request({ method: 'GET', path: '/api/models', responseType: WhisperModelsBody });
  }

  getConfig(): Promise<ServiceConfigBody> {
    return this.config.get();
  }

  updateConfig(changes: Record<string, unknown>): Promise<ServiceConfigBody> {
    return this.config.update(changes);
  }
}

/** OpenAI reports languages by English name; the platform uses ISO 639-1 codes. */
const LANGUAGE_CODES: Record<string, string> = {
  english: 'en',
  spanish: 'es',
  french: 'fr',
  german: 'de',
  italian: 'it',
  portuguese: 'pt',
  dutch: 'nl',
  japanese: 'ja',
  chinese: 'zh',
  korean: 'ko',
  russian: 'ru',
  arabic: 'ar',
};

export interface OpenAiWhisperOptions extends HttpClientOptions {
  apiKey?: string;
  /** The server's model name, e.g. `whisper-1` or `Systran/faster-whisper-small`. */
  model?: string;
}

/**
 * OpenAI-compatible servers (`POST /v1/audio/transcriptions`): OpenAI itself and self-hosted
 * Whisper servers such as faster-whisper-server or whisper.cpp's server.
 */
export class OpenAiWhisperClient implements SpeechToTextClient {
  readonly backend = 'openai' as const;
  private readonly http: ResilientHttp;

  constructor(private readonly options: OpenAiWhisperOptions) {
    this.http = new ResilientHttp(WHISPER_SERVICE, {
      ...options,
      headers: {
        ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
        ...options.headers,
      },
    });
  }

  get circuitState() {
    return this.http.circuitState;
  }

  onCircuitChange(listener: (state: CircuitState) => void): void {
    this.http.onCircuitChange(listener);
  }

  async transcribe(request: TranscribeRequest): Promise<Transcription> {
    const fields: Record<string, string> = {
      model: request.model ?? this.options.model ?? 'whisper-1',
      response_format: 'verbose_json',
    };
    if (request.language && request.language !== 'auto') fields.language = request.language;
    const body = await this.http.request({
      method: 'POST',
      path: '/v1/audio/transcriptions',
      form: { fields, files: [audioFile(request, 'file')] },
      responseType: OpenAiVerboseBody,
      clientError: whisperClientError,
      ...(request.signal ? { signal: request.signal } : {}),
    });
    const segments = (body.segments ?? []).map((s) => {
      const confidence = s.avg_logprob === undefined ? 1 : Math.min(1, Math.max(0, Math.exp(s.avg_logprob)));
      return {
        startMs: Math.round(s.start * 1000),
        endMs: Math.round(s.end * 1000),
        text: s.text.trim(),
        confidence,
      };
    });
    const language = (body.language ?? request.language ?? 'und').toLowerCase();
    return {
      text: body.text.trim(),
      language: LANGUAGE_CODES[language] ?? language,
      confidence: average(segments.map((s) => s.confidence)),
      segments,
      model: request.model ?? this.options.model ?? 'whisper-1',
      processingMs: 0,
    };
  }

  async health(): Promise<ServiceHealth> {
    const models = await this.http.request({
      method: 'GET',
      path: '/v1/models',
      responseType: OpenAiModelsBody,
    });
    return { status: 'healthy', models: models.data.map((m) => m.id) };
  }
}

export type SpeechToTextBackend = 'whisper' | 'openai';

export interface SpeechToTextConfig extends OpenAiWhisperOptions {
  backend: SpeechToTextBackend;
}

/** Picks the backend by configuration (`AUDIO_SERVICE_BACKEND`): the Whisper service or an OpenAI-compatible server. */
export function createSpeechToTextClient(config: SpeechToTextConfig): SpeechToTextClient {
  const { backend, ...options } = config;
  return backend === 'openai' ? new OpenAiWhisperClient(options) : new WhisperClient(options);
}

function average(values: number[]): number {
  return values.length ? Number((values.reduce((a, b) => a + b, 0) / values.length).toFixed(3)) : 0;
}
