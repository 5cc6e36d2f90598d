/**
 * The mock's whole vocabulary: every word of the Whisper mock's tone alphabet (and its common
 * phrases) in English, Spanish, French and German. Tests assert these translations; changing one
 * changes what they expect.
 */
export const LANGUAGES = {
  en: 'English',
  es: 'Spanish',
  fr: 'French',
  de: 'German',
} as const;
export type LanguageCode = keyof typeof LANGUAGES;

export function isLanguage(code: string): code is LanguageCode {
  return Object.prototype.hasOwnProperty.call(LANGUAGES, code);
}

type Entry = Record<LanguageCode, string>;

const ENTRIES: Entry[] = [
  // Phrases come first so they win over their words.
  { en: 'good morning', es: 'buenos días', fr: 'bonjour', de: 'guten Morgen' },
  { en: 'thank you', es: 'gracias', fr: 'merci', de: 'danke' },
  { en: 'hello', es: 'hola', fr: 'salut', de: 'hallo' },
  { en: 'world', es: 'mundo', fr: 'monde', de: 'Welt' },
  { en: 'good', es: 'bueno', fr: 'bon', de: 'gut' },
  { en: 'morning', es: 'mañana', fr: 'matin', de: 'Morgen' },
  { en: 'thank', es: 'agradecer', fr: 'remercier', de: 'danken' },
  { en: 'you', es: 'tú', fr: 'toi', de: 'du' },
  { en: 'yes', es: 'sí', fr: 'oui', de: 'ja' },
  { en: 'no', es: 'no', fr: 'non', de: 'nein' },
  { en: 'one', es: 'uno', fr: 'un', de: 'eins' },
  { en: 'two', es: 'dos', fr: 'deux', de: 'zwei' },
  { en: 'three', es: 'tres', fr: 'trois', de: 'drei' },
  { en: 'water', es: 'agua', fr: 'eau', de: 'Wasser' },
  { en: 'friend', es: 'amigo', fr: 'ami', de: 'Freund' },
  { en: 'house', es: 'casa', fr: 'maison', de: 'Haus' },
  { en: 'today', es: 'hoy', fr: "aujourd'hui", de: 'heute' },
  { en: 'please', es: 'por favor', fr: "s'il vous plaît", de: 'bitte' },
];

export interface Match {
  entry: Entry;
  /** How many source tokens the match covers. */
  length: number;
}

/** Phrase tables per language: lower-cased token sequences, longest first. */
const PHRASES: Record<LanguageCode, Array<{ tokens: string[]; entry: Entry }>> = Object.fromEntries(
  (Object.keys(LANGUAGES) as LanguageCode[]).map((code) => [
    code,
    ENTRIES.map((entry) => ({ tokens: words(entry[code]).map((t) => t.toLowerCase()), entry })).sort(
      (a, b) => b.tokens.length - a.tokens.length,
    ),
  ]),
) as Record<LanguageCode, Array<{ tokens: string[]; entry: Entry }>>;

/** Splits into words (letters, apostrophes inside words) — punctuation and spaces are separate. */
export function tokenize(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+(?:'[\p{L}]+)*|[^\p{L}\p{N}\s]|\s+/gu) ?? [];
}

export function isWord(token: string): boolean {
  return /[\p{L}\p{N}]/u.test(token);
}

export function words(text: string): string[] {
  return tokenize(text).filter(isWord);
}

/** The longest dictionary entry starting at `words[index]` in `language`, if any. */
export function matchAt(words: string[], index: number, language: LanguageCode): Match | undefined {
  for (const phrase of PHRASES[language]) {
    const slice = words.slice(index, index + phrase.tokens.length).map((w) => w.toLowerCase());
    if (slice.length === phrase.tokens.length && slice.every((w, i) => w === phrase.tokens[i])) {
      return { entry: phrase.entry, length: phrase.tokens.length };
    }
  }
  return undefined;
}
