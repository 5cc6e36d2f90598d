import {
  DetectionBody,
  LanguagesBody,
  ServiceConfigBody,
  TranslationBody,
  TranslationHealthBody,
} from './downstream.contract.js';
import {
  ResilientHttp,
  ServiceConfigApi,
  type CircuitState,
  type HttpClientOptions,
} from './resilient-http.js';
import type { ServiceHealth } from './speech-to-text.js';

export const TRANSLATION_SERVICE = 'translation';

export interface TranslateRequest {
  text: string;
  /** ISO 639-1 code, or `auto`. */
  sourceLanguage?: string;
  targetLanguage: string;
  model?: string;
  sessionId?: string;
  signal?: AbortSignal;
}

export interface Translation {
  translatedText: string;
  sourceLanguage: string;
  targetLanguage: string;
  confidence: number;
  backend: string;
  model?: string;
  processingMs: number;
}

/** What the platform needs from a translation backend, whichever API it speaks. */
export interface Translator {
  /** `service`: the translation service's own contract; `libretranslate`: a LibreTranslate server. */
  readonly backend: 'service' | 'libretranslate';
  translate(request: TranslateRequest): Promise<Translation>;
  /** The languages the backend translates between. */
  supportedLanguages(): Promise<SupportedLanguage[]>;
  health(): Promise<ServiceHealth>;
  readonly circuitState: string;
  onCircuitChange(listener: (state: CircuitState) => void): void;
}

export interface SupportedLanguage {
  /** ISO 639-1 (`es`), optionally with a region (`pt-BR`). */
  code: string;
  name: string;
}

/** The translation service's contract: `POST /api/translate` and friends. */
export class TranslationClient implements Translator {
  readonly backend = 'service' as const;
  private readonly http: ResilientHttp;
  private readonly config: ServiceConfigApi;

  constructor(options: HttpClientOptions) {
    this.http = new ResilientHttp(TRANSLATION_SERVICE, options);
    this.config = new ServiceConfigApi(this.http);
  }

  get circuitState() {
    return this.http.circuitState;
  }

  onCircuitChange(listener: (state: CircuitState) => void): void {
    this.http.onCircuitChange(listener);
  }

  async translate(request: TranslateRequest): Promise<Translation> {
    const body = await this.http.request({
      method: 'POST',
      path: '/api/translate',
      json: {
        text: request.text,
        source_language: request.sourceLanguage ?? 'auto',
        target_language: request.targetLanguage,
        ...(request.model ? { model: request.model } : {}),
        ...(request.sessionId ? { session_id: request.sessionId } : {}),
      },
      responseType: TranslationBody,
      ...(request.signal ? { signal: request.signal } : {}),
    });
    return {
      translatedText: body.translated_text,
      sourceLanguage: body.source_language,
      targetLanguage: body.target_language,
      confidence: body.confidence_score,
      backend: body.backend_used,
      ...(body.model_used ? { model: body.model_used } : {}),
      processingMs: Number((body.processing_time * 1000).toFixed(3)),
    };
  }

  async detect(text: string): Promise<DetectionBody> {
    return this.http.request({
      method: 'POST',
      path: '/api/detect',
      json: { text },
      responseType: DetectionBody,
    });
  }

  async languages(): Promise<LanguagesBody> {
    return this.http.request({ method: 'GET', path: '/api/languages', responseType: LanguagesBody });
  }

  async supportedLanguages(): Promise<SupportedLanguage[]> {
    return (await this.languages()).languages.map(({ code, name }) => ({ code, name }));
  }

  async health(): Promise<ServiceHealth> {
    return this.http.request({
      method: 'GET',
      path: '/api/health',
      responseType: TranslationHealthBody,
    }) as Promise<ServiceHealth>;
  }

  getConfig(): Promise<ServiceConfigBody> {
    return this.config.get();
  }

  updateConfig(changes: Record<string, unknown>): Promise<ServiceConfigBody> {
    return this.config.update(changes);
  }
}
