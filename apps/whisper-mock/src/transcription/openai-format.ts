import type { WhisperTranscription } from './transcription.service.js';

/** OpenAI reports languages by English name. */
const LANGUAGE_NAMES: Record<string, string> = { en: 'english', es: 'spanish', fr: 'french', de: 'german' };

export function toOpenAiVerbose(result: WhisperTranscription) {
  return {
    task: 'transcribe',
    language: LANGUAGE_NAMES[result.language] ?? result.language,
    duration: result.duration,
    text: result.text,
    segments: result.segments.map((s) => ({
      id: s.id,
      seek: 0,
      start: s.start,
      end: s.end,
      text: s.text,
      tokens: [],
      temperature: 0,
      avg_logprob: Number(Math.log(Math.max(s.confidence, 1e-6)).toFixed(4)),
      compression_ratio: 1,
      no_speech_prob: Number((1 - s.confidence).toFixed(4)),
    })),
  };
}
