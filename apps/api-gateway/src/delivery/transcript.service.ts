import { Inject, Injectable } from '@nestjs/common';
import type {
  ProcessingFailed,
  SessionCompleted,
  SessionEnded,
  TranscriptionCompleted,
  TranslationCompleted,
  TranscriptInfo,
  TranscriptSegment,
} from '@livetranslate/contracts';
import { SessionEventLog, type LogEntry } from '@livetranslate/session-store';
import type { SessionRecord } from '@livetranslate/ingest';

/** The transcript as the API answers it; the shape lives in contracts, beside the SDK that reads it. */
export type TranscriptView = TranscriptInfo;

/** Folds a session's event log into the transcript and translations so far. */
export class TranscriptAssembler {
  private readonly transcriptions = new Map<number, TranscriptionCompleted>();
  private readonly translations = new Map<string, TranslationCompleted>();
  private readonly failures: ProcessingFailed[] = [];
  private ended: SessionEnded | null = null;
  private completed: SessionCompleted | null = null;
  private lastId: string | null = null;

  constructor(private readonly targetLanguages: string[]) {}

  add(entry: LogEntry): void {
    this.lastId = entry.id;
    const payload = entry.envelope.payload as unknown;
    switch (entry.envelope.event_type) {
      case 'TranscriptionCompleted': {
        const t = payload as TranscriptionCompleted;
        this.transcriptions.set(t.seq, t);
        break;
      }
      case 'TranslationCompleted': {
        const t = payload as TranslationCompleted;
        this.translations.set(`${t.seq}:${t.target_language}`, t);
        break;
      }
      case 'ProcessingFailed':
        this.failures.push(payload as ProcessingFailed);
        break;
      case 'SessionEnded':
        this.ended = payload as SessionEnded;
        break;
      case 'SessionCompleted':
        this.completed = payload as SessionCompleted;
        break;
    }
  }

  /** The session said it is done: its input ended and every chunk has its results or a failure. */
  get complete(): boolean {
    return this.completed !== null;
  }

  /** Each chunk's final words (session times) and, given a language, its translation; by seq. */
  chunks(language?: string): Array<{ seq: number; segments: TranscriptSegment[]; translated?: string }> {
    return [...this.transcriptions.values()]
      .sort((a, b) => a.seq - b.seq)
      .map((t) => {
        const translated = language ? this.translations.get(`${t.seq}:${language}`) : undefined;
        return {
          seq: t.seq,
          segments: t.segments,
          ...(translated ? { translated: translated.translated_text } : {}),
        };
      });
  }

  view(session: SessionRecord): TranscriptView {
    const ordered = [...this.transcriptions.values()].sort((a, b) => a.seq - b.seq);
    const segments = ordered.flatMap((t) => t.segments).sort((a, b) => a.start_ms - b.start_ms);
    const translations: TranscriptView['translations'] = {};
    for (const language of this.targetLanguages) {
      const chunks = [...this.translations.values()]
        .filter((t) => t.target_language === language)
        .sort((a, b) => a.seq - b.seq)
        .map((t) => ({ seq: t.seq, text: t.translated_text }));
      translations[language] = { text: joinText(chunks.map((c) => c.text)), chunks };
    }
    return {
      session_id: session.id,
      status: session.status,
      complete: this.complete,
      chunks: {
        accepted: this.completed?.total_chunks ?? this.ended?.total_chunks ?? session.chunks,
        transcribed: this.transcriptions.size,
        failed: new Set(this.failures.map((f) => f.seq)).size,
      },
      language: ordered.find((t) => t.text)?.language ?? null,
      text: joinText(ordered.map((t) => t.text)),
      segments,
      translations,
      failures: this.failures,
      last_event_id: this.lastId,
    };
  }
}

function joinText(parts: string[]): string {
  return parts.filter((p) => p.trim() !== '').join(' ');
}

@Injectable()
export class TranscriptService {
  constructor(@Inject(SessionEventLog) private readonly log: SessionEventLog) {}

  async build(session: SessionRecord): Promise<TranscriptView> {
    return (await this.assemble(session)).view(session);
  }

  /** The session's whole log, folded. */
  async assemble(session: SessionRecord): Promise<TranscriptAssembler> {
    const assembler = new TranscriptAssembler(session.options.target_languages);
    for (const entry of await this.log.all(session.id)) assembler.add(entry);
    return assembler;
  }
}
