/** One timed piece of text, as the OpenAI audio API's formats carry it. */
export interface TimedText {
  startMs: number;
  endMs: number;
  text: string;
}

export const RESPONSE_FORMATS = ['json', 'text', 'verbose_json', 'srt', 'vtt'] as const;
export type ResponseFormat = (typeof RESPONSE_FORMATS)[number];

export interface AudioResult {
  task: 'transcribe' | 'translate';
  /** ISO 639-1 of the speech (for translations too: what was spoken). */
  language: string | null;
  durationMs: number;
  text: string;
  segments: TimedText[];
}

/** The body and its content type for `response_format`, as OpenAI's audio endpoints answer. */
export function formatAudioResult(
  result: AudioResult,
  format: ResponseFormat,
): { type: string; body: string } {
  switch (format) {
    case 'json':
      return { type: 'application/json', body: JSON.stringify({ text: result.text }) };
    case 'text':
      return { type: 'text/plain; charset=utf-8', body: `${result.text}\n` };
    case 'verbose_json':
      return {
        type: 'application/json',
        body: JSON.stringify({
          task: result.task,
          language: languageName(result.language),
          duration: result.durationMs / 1000,
          text: result.text,
          segments: result.segments.map((s, id) => ({
            id,
            seek: 0,
            start: s.startMs / 1000,
            end: s.endMs / 1000,
            text: s.text,
            tokens: [],
            temperature: 0,
            avg_logprob: 0,
            compression_ratio: 1,
            no_speech_prob: 0,
          })),
        }),
      };
    case 'srt':
      return {
        type: 'text/plain; charset=utf-8',
        body: result.segments
          .map((s, i) => `${i + 1}\n${clock(s.startMs, ',')} --> ${clock(s.endMs, ',')}\n${s.text}\n`)
          .join('\n'),
      };
    case 'vtt':
      return {
        type: 'text/vtt; charset=utf-8',
        body: `WEBVTT\n\n${result.segments.map((s) => `${clock(s.startMs, '.')} --> ${clock(s.endMs, '.')}\n${s.text}\n`).join('\n')}`,
      };
  }
}

/** `01:02:03,456` (SRT) or `01:02:03.456` (WebVTT). */
export function clock(ms: number, separator: ',' | '.'): string {
  const total = Math.max(0, Math.round(ms));
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const seconds = Math.floor((total % 60_000) / 1000);
  return `${pad(hours)}:${pad(minutes)}:${pad(seconds)}${separator}${pad(total % 1000, 3)}`;
}

/** OpenAI names the language in full, lower case (`english`). */
function languageName(code: string | null): string {
  if (!code) return 'unknown';
  try {
    return (new Intl.DisplayNames(['en'], { type: 'language' }).of(code) ?? code).toLowerCase();
  } catch {
    return code;
  }
}
