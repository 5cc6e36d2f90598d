import {
  createSpeechToTextClient,
  TranslationClient,
  type SpeechToTextClient,
} from '@livetranslate/contracts';
import type { PipelineEnv } from './platform-env.js';

export interface DownstreamClients {
  speech: SpeechToTextClient;
  translation: TranslationClient;
}

/** The model-service SDKs configured from the environment. */
export function downstreamClients(env: PipelineEnv): DownstreamClients {
  const resilience = { timeoutMs: env.DOWNSTREAM_TIMEOUT_MS, maxAttempts: env.DOWNSTREAM_MAX_ATTEMPTS };
  return {
    speech: createSpeechToTextClient({
      backend: env.AUDIO_SERVICE_BACKEND,
      baseUrl: env.AUDIO_SERVICE_URL,
      resilience,
      ...(env.AUDIO_SERVICE_API_KEY ? { apiKey: env.AUDIO_SERVICE_API_KEY } : {}),
      ...(env.AUDIO_SERVICE_MODEL ? { model: env.AUDIO_SERVICE_MODEL } : {}),
    }),
    translation: new TranslationClient({ baseUrl: env.TRANSLATION_SERVICE_URL, resilience }),
  };
}
