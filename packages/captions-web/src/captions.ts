import { EVENT_TYPES, type SessionEvent } from '@livetranslate/contracts/browser';

interface Row {
  draft?: string;
  final?: string;
  /** The final's words by speaker, when the session names speakers. */
  speakers?: Array<{ speaker: string; text: string }>;
  translations: Map<string, string>;
  failed?: string;
}

/**
 * The captions table: one row per chunk, its draft (grey) until its final (black) replaces it, and
 * one column per target language. Events are applied as they come; a draft never overwrites a final.
 */
export class Captions {
  private readonly rows = new Map<number, Row>();

  constructor(
    private readonly table: HTMLTableElement,
    private languages: string[],
  ) {
    this.header();
  }

  setLanguages(languages: string[]): void {
    this.languages = languages;
    this.header();
    this.render();
  }

  add(event: SessionEvent): void {
    const p = event.payload as {
      seq?: number;
      text?: string;
      translated_text?: string;
      target_language?: string;
      stage?: string;
      message?: string;
      segments?: Array<{ text: string; speaker?: string }>;
    };
    if (p.seq === undefined) return;
    const row: Row = this.rows.get(p.seq) ?? { translations: new Map() };
    this.rows.set(p.seq, row);
    switch (event.event_type) {
      case EVENT_TYPES.TranscriptionDraft:
        if (row.final === undefined) row.draft = p.text ?? '';
        break;
      case EVENT_TYPES.TranscriptionCompleted:
        row.final = p.text ?? '';
        row.draft = undefined;
        row.speakers = speakersOf(p.segments ?? []);
        break;
      case EVENT_TYPES.TranslationCompleted:
        if (p.target_language) row.translations.set(p.target_language, p.translated_text ?? '');
        break;
      case EVENT_TYPES.ProcessingFailed:
        row.failed = `${p.stage} failed: ${p.message ?? ''}`;
        break;
      default:
        return;
    }
    this.render();
  }

  private header(): void {
    const head = this.table.tHead!.rows[0]!;
    head.replaceChildren(
      cell('th', '#'),
      cell('th', 'transcript'),
      ...this.languages.map((l) => cell('th', l)),
    );
  }

  private render(): void {
    const body = this.table.tBodies[0]!;
    const rows = [...this.rows.entries()].sort(([a], [b]) => a - b);
    body.replaceChildren(
      ...rows.map(([seq, row]) => {
        const tr = document.createElement('tr');
        tr.dataset.seq = String(seq);
        const text = cell('td', '');
        if (row.final !== undefined) {
          text.className = 'final';
          if (row.speakers?.length)
            for (const turn of row.speakers) {
              const name = cell('span', `${turn.speaker}:`);
              name.className = 'speaker';
              text.append(name, `${turn.text} `);
            }
          else text.textContent = row.final;
        } else if (row.draft !== undefined) {
          text.className = 'draft';
          text.textContent = row.draft;
        }
        if (row.failed) {
          const failed = cell('div', row.failed);
          failed.className = 'failed';
          text.append(failed);
        }
        const translations = this.languages.map((language) => {
          const td = cell('td', row.translations.get(language) ?? '');
          td.dataset.lang = language;
          return td;
        });
        tr.append(cell('td', String(seq)), text, ...translations);
        return tr;
      }),
    );
  }
}

function speakersOf(
  segments: Array<{ text: string; speaker?: string }>,
): Array<{ speaker: string; text: string }> {
  if (!segments.some((s) => s.speaker)) return [];
  const turns: Array<{ speaker: string; text: string }> = [];
  for (const segment of segments) {
    const speaker = segment.speaker ?? '?';
    const last = turns[turns.length - 1];
    if (last && last.speaker === speaker) last.text += ` ${segment.text}`;
    else turns.push({ speaker, text: segment.text });
  }
  return turns;
}

function cell<K extends keyof HTMLElementTagNameMap>(tag: K, text: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  element.textContent = text;
  return element;
}
