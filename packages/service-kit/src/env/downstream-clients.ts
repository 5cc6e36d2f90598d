import {
  createSpeechToTextClient,
  createTranslator,
  type ResilienceOptions,
  TranslationClient,
  type Translator,
  WhisperClient,
  type ModelService,
  type ServiceConfigBody,
  type SpeechToTextClient,
} from '@livetranslate/contracts';
import { nodeHttpSend } from '../http/node-http-send.js';
import type { PipelineEnv } from './platform-env.js';

export interface DownstreamClients {
  speech: SpeechToTextClient;
  translation: Translator;
}

/** The model-service SDKs configured from the environment (`overrides` for callers with other needs, e.g. probes). */
export function downstreamClients(env: PipelineEnv, overrides: ResilienceOptions = {}): DownstreamClients {
  const resilience = {
    timeoutMs: env.DOWNSTREAM_TIMEOUT_MS,
    maxAttempts: env.DOWNSTREAM_MAX_ATTEMPTS,
    breakerThreshold: env.DOWNSTREAM_BREAKER_THRESHOLD,
    breakerHalfOpenAfterMs: env.DOWNSTREAM_BREAKER_OPEN_MS,
    ...overrides,
  };
  return {
    speech: createSpeechToTextClient({
      backend: env.AUDIO_SERVICE_BACKEND,
      baseUrl: env.AUDIO_SERVICE_URL,
      resilience,
      send: nodeHttpSend,
      ...(env.AUDIO_SERVICE_API_KEY ? { apiKey: env.AUDIO_SERVICE_API_KEY } : {}),
      ...(env.AUDIO_SERVICE_MODEL ? { model: env.AUDIO_SERVICE_MODEL } : {}),
    }),
    translation: createTranslator({
      backend: env.TRANSLATION_SERVICE_BACKEND,
      baseUrl: env.TRANSLATION_SERVICE_URL,
      resilience,
      send: nodeHttpSend,
      ...(env.TRANSLATION_SERVICE_API_KEY ? { apiKey: env.TRANSLATION_SERVICE_API_KEY } : {}),
    }),
  };
}

/** A model service's config API (`GET/POST /api/config`). */
export interface ModelConfigApi {
  get(): Promise<ServiceConfigBody>;
  update(changes: Record<string, unknown>): Promise<ServiceConfigBody>;
}

/**
 * The model services whose settings the stored configuration sets, with their config APIs. Only
 * the Whisper contract has one on the speech side: an OpenAI-compatible backend is left out.
 */
export function modelConfigApis(models: DownstreamClients): Array<[ModelService, ModelConfigApi]> {
  const out: Array<[ModelService, ModelConfigApi]> = [];
  const speech = models.speech;
  if (speech instanceof WhisperClient) {
    out.push(['whisper', { get: () => speech.getConfig(), update: (c) => speech.updateConfig(c) }]);
  }
  const translation = models.translation;
  // LibreTranslate has no settings API: the stored translation settings do not reach it.
  if (translation instanceof TranslationClient) {
    out.push([
      'translation',
      { get: () => translation.getConfig(), update: (c) => translation.updateConfig(c) },
    ]);
  }
  return out;
}
