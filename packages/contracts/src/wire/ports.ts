/** Default port of every LiveTranslate app, and of the model services the mocks stand in for. */
export const DEFAULT_PORTS = {
  apiGateway: 3000,
  audioPipelineWorker: 3010,
  botWorker: 3020,
  configSyncWorker: 3030,
  monitoringWorker: 3040,
  /** The Whisper service (and whisper-mock). */
  whisper: 5001,
  /** The translation service (and translation-mock). */
  translation: 5003,
} as const;

export const DEFAULT_AUDIO_SERVICE_URL = `http://127.0.0.1:${DEFAULT_PORTS.whisper}`;
export const DEFAULT_TRANSLATION_SERVICE_URL = `http://127.0.0.1:${DEFAULT_PORTS.translation}`;

/**
 * How long an app may take to stop on SIGTERM before it gives up and exits 1 (SHUTDOWN_GRACE_MS):
 * orchestrators give pods longer than this.
 */
export const DEFAULT_SHUTDOWN_GRACE_MS = 25_000;
