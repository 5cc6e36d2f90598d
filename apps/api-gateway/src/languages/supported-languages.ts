import { Inject, Injectable, Logger } from '@nestjs/common';
import type { SupportedLanguage } from '@livetranslate/contracts';
import { ApiError, DOWNSTREAM, type DownstreamClients } from '@livetranslate/service-kit';
import { toApiError } from '../translate/translate.controller.js';

/** How long the translation service's language list is reused before it is asked again. */
const CACHE_MS = 60_000;
/** How long a check waits for the first list before it lets the request through unchecked. */
const FIRST_ANSWER_MS = 2_000;

/** Languages a session, an upload or a bot asks for. */
export interface LanguageRequest {
  source_language?: string | undefined;
  target_languages?: string[] | undefined;
}

/**
 * What the translation service translates between, asked at most once a minute (one request at a
 * time) and checked at the door: a session, upload or bot asking for a language the service does
 * not have is a 400 before anything is created, not a ProcessingFailed per chunk later.
 */
@Injectable()
export class SupportedLanguages {
  private readonly logger = new Logger(SupportedLanguages.name);
  private cached?: { at: number; languages: SupportedLanguage[] };
  private fetching?: Promise<SupportedLanguage[]>;
  /** The cache's clock (tests move it). */
  now: () => number = Date.now;

  constructor(@Inject(DOWNSTREAM) private readonly models: DownstreamClients) {}

  /**
   * The list. Within a minute of fetching it is reused; after that the last one is answered at once
   * while a fresh one is fetched behind it (so a slow or down service never delays a request that
   * has a list to check against). Only the very first call waits for the service.
   */
  async list(): Promise<SupportedLanguage[]> {
    if (this.cached) {
      if (this.now() - this.cached.at >= CACHE_MS) void this.refresh().catch(() => undefined);
      return this.cached.languages;
    }
    return this.refresh();
  }

  private refresh(): Promise<SupportedLanguage[]> {
    this.fetching ??= this.models.translation
      .supportedLanguages()
      .then((languages) => {
        this.cached = { at: this.now(), languages };
        return languages;
      })
      .catch((error: unknown) => {
        // Keep answering the old list, and ask again only after another minute.
        if (this.cached) this.cached.at = this.now();
        throw toApiError(error);
      })
      .finally(() => (this.fetching = undefined));
    return this.fetching;
  }

  /**
   * Refuses (400 `unsupported_language`) the codes the service does not translate, naming them and
   * what it does. `pt-BR` passes when `pt` is supported. When the list cannot be had at all (the
   * service was never reachable) the request passes: transcription still works, and translations
   * then fail per chunk with a ProcessingFailed the client sees.
   */
  async check(request: LanguageRequest): Promise<void> {
    const asked = [
      ...(request.source_language && request.source_language !== 'auto' ? [request.source_language] : []),
      ...(request.target_languages ?? []),
    ];
    if (asked.length === 0) return;
    let languages: SupportedLanguage[];
    try {
      // Never held up longer than FIRST_ANSWER_MS by a service that does not answer yet.
      languages = await Promise.race([
        this.list(),
        new Promise<never>((_, reject) =>
          setTimeout(
            () => reject(new Error(`no answer within ${FIRST_ANSWER_MS} ms`)),
            FIRST_ANSWER_MS,
          ).unref(),
        ),
      ]);
    } catch (error) {
      this.logger.warn(
        `languages not checked, the translation service did not answer: ${(error as Error).message}`,
      );
      return;
    }
    const codes = new Set(languages.map((l) => l.code.toLowerCase()));
    const unsupported = [...new Set(asked)].filter((code) => {
      const lower = code.toLowerCase();
      return !codes.has(lower) && !codes.has(lower.split('-')[0]!);
    });
    if (unsupported.length === 0) return;
    throw new ApiError(
      400,
      'unsupported_language',
      `not supported by the translation service: ${unsupported.join(', ')} (supported: ${[...codes].join(', ')}; see GET /api/languages)`,
      { unsupported, supported: [...codes] },
    );
  }
}
