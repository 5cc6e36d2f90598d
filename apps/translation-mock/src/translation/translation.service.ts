import { Injectable } from '@nestjs/common';
import { ApiError } from '@livetranslate/service-kit';
import { isLanguage, isWord, LANGUAGES, matchAt, tokenize, words, type LanguageCode } from './dictionary.js';
import { TranslationConfig } from '../service-config/translation-config.js';

export interface TranslateInput {
  text: string;
  source_language: string;
  target_language: string;
  model?: string;
  session_id?: string;
}

export interface Detection {
  language: LanguageCode;
  confidence: number;
}

/** Unknown words pass through inside these marks, so nobody mistakes them for translations. */
export const UNKNOWN_OPEN = '[';
export const UNKNOWN_CLOSE = ']';

/** Dictionary translation, phrase by phrase, deterministic. */
@Injectable()
export class TranslationService {
  constructor(private readonly config: TranslationConfig) {}

  translate(input: TranslateInput) {
    const started = performance.now();
    const target = this.language(input.target_language, 'target_language');
    const source =
      input.source_language === 'auto'
        ? this.detect(input.text).language
        : this.language(input.source_language, 'source_language');
    const settings = this.config.current();
    const { text, covered, total } =
      source === target ? identity(input.text) : translateText(input.text, source, target);
    return {
      translated_text: text,
      source_language: source,
      target_language: target,
      confidence_score: total === 0 ? 1 : round(covered / total),
      processing_time: round((performance.now() - started) / 1000, 4),
      backend_used: settings.backend,
      model_used: input.model ?? settings.default_model,
      ...(input.session_id ? { session_id: input.session_id } : {}),
    };
  }

  /** The language whose dictionary covers most of the words; English when none does. */
  detect(text: string): Detection {
    const all = words(text);
    let best: Detection = { language: 'en', confidence: 0 };
    for (const code of Object.keys(LANGUAGES) as LanguageCode[]) {
      let covered = 0;
      for (let i = 0; i < all.length;) {
        const match = matchAt(all, i, code);
        covered += match ? match.length : 0;
        i += match ? match.length : 1;
      }
      const confidence = all.length ? round(covered / all.length) : 0;
      if (confidence > best.confidence) best = { language: code, confidence };
    }
    return best;
  }

  private language(code: string, field: string): LanguageCode {
    if (!isLanguage(code)) {
      throw new ApiError(
        400,
        'unsupported_language',
        `${field} "${code}" is not supported (${Object.keys(LANGUAGES).join(', ')}${field === 'source_language' ? ', auto' : ''})`,
      );
    }
    return code;
  }
}

function identity(text: string) {
  const count = words(text).length;
  return { text, covered: count, total: count };
}

function translateText(text: string, source: LanguageCode, target: LanguageCode) {
  const tokens = tokenize(text);
  const sourceWords = tokens.filter(isWord);
  const out: string[] = [];
  let wordIndex = 0;
  let covered = 0;
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t]!;
    if (!isWord(token)) {
      out.push(token);
      continue;
    }
    const match = matchAt(sourceWords, wordIndex, source);
    if (!match) {
      out.push(`${UNKNOWN_OPEN}${token}${UNKNOWN_CLOSE}`);
      wordIndex++;
      continue;
    }
    out.push(matchCase(token, match.entry[target]));
    covered += match.length;
    // Skip the rest of the phrase's words and the separators between them.
    for (let remaining = match.length - 1; remaining > 0;) {
      t++;
      if (isWord(tokens[t]!)) remaining--;
    }
    wordIndex += match.length;
  }
  return { text: out.join(''), covered, total: sourceWords.length };
}

/** Keeps a capitalised source word capitalised. */
function matchCase(source: string, translation: string): string {
  const first = source[0]!;
  return first !== first.toLowerCase() ? translation[0]!.toUpperCase() + translation.slice(1) : translation;
}

function round(value: number, digits = 3): number {
  return Number(value.toFixed(digits));
}
