import { LibreLanguageBody, LibreTranslationBody } from './downstream.contract.js';
import { ResilientHttp, type CircuitState, type HttpClientOptions } from './resilient-http.js';
import type { ServiceHealth } from './speech-to-text.js';
import {
  TRANSLATION_SERVICE,
  TranslationClient,
  type TranslateRequest,
  type SupportedLanguage,
  type Translation,
  type Translator,
} from './translation.client.js';

export interface LibreTranslateOptions extends HttpClientOptions {
  /** Sent as `api_key` when the server requires keys. */
  apiKey?: string;
}

/**
 * A LibreTranslate server (the open translation model the `models` compose profile runs):
 * `POST /translate`, `GET /languages`. Same retries, circuit and typed errors as the service SDK.
 */
export class LibreTranslateClient implements Translator {
  readonly backend = 'libretranslate' as const;
  private readonly http: ResilientHttp;

  constructor(private readonly options: LibreTranslateOptions) {
    this.http = new ResilientHttp(TRANSLATION_SERVICE, options);
  }

  get circuitState() {
    return this.http.circuitState;
  }

  onCircuitChange(listener: (state: CircuitState) => void): void {
    this.http.onCircuitChange(listener);
  }

  async translate(request: TranslateRequest): Promise<Translation> {
    const started = performance.now();
    const source = request.sourceLanguage ?? 'auto';
    const body = await this.http.request({
      method: 'POST',
      path: '/translate',
      json: {
        q: request.text,
        source,
        target: request.targetLanguage,
        format: 'text',
        ...(this.options.apiKey ? { api_key: this.options.apiKey } : {}),
      },
      responseType: LibreTranslationBody,
      ...(request.signal ? { signal: request.signal } : {}),
    });
    return {
      translatedText: body.translatedText,
      sourceLanguage: source === 'auto' ? (body.detectedLanguage?.language ?? 'auto') : source,
      targetLanguage: request.targetLanguage,
      // LibreTranslate reports a confidence for detection only, in percent.
      confidence: body.detectedLanguage ? body.detectedLanguage.confidence / 100 : 1,
      backend: 'libretranslate',
      processingMs: Number((performance.now() - started).toFixed(3)),
    };
  }

  async supportedLanguages(): Promise<SupportedLanguage[]> {
    const languages = await this.http.request<LibreLanguageBody[]>({ method: 'GET', path: '/languages' });
    // Entries that are not {code, name} strings are dropped rather than trusted.
    return (Array.isArray(languages) ? languages : [])
      .filter((l) => typeof l?.code === 'string' && typeof l?.name === 'string')
      .map(({ code, name }) => ({ code, name }));
  }

  /** LibreTranslate has no health route: answering its language list is being healthy. */
  async health(): Promise<ServiceHealth> {
    const languages = await this.http.request<LibreLanguageBody[]>({ method: 'GET', path: '/languages' });
    return { status: 'healthy', languages: Array.isArray(languages) ? languages.length : 0 };
  }
}

export interface TranslatorConfig extends LibreTranslateOptions {
  backend?: Translator['backend'];
}

/** The translation backend TRANSLATION_SERVICE_BACKEND names. */
export function createTranslator(config: TranslatorConfig): Translator {
  const { backend = 'service', apiKey, ...options } = config;
  return backend === 'libretranslate'
    ? new LibreTranslateClient({ ...options, ...(apiKey ? { apiKey } : {}) })
    : new TranslationClient(options);
}
