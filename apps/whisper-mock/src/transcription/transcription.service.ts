import { Injectable } from '@nestjs/common';
import {
  AudioDecodeError,
  decodePcmS16le,
  decodeToneWords,
  decodeWav,
  durationMs,
  isWav,
  mixDown,
  type DecodedAudio,
  type DecodedWord,
} from '@livetranslate/audio';
import { ApiError } from '@livetranslate/service-kit';
import { isWhisperModel, WHISPER_MODELS } from '../models/whisper-models.js';
import { WhisperConfig } from '../service-config/whisper-config.js';

export interface TranscribeInput {
  audio: Buffer;
  contentType?: string;
  /** Declared rate for raw PCM s16le (not needed for WAV). */
  sampleRate?: number;
  channels?: number;
  language?: string;
  model?: string;
  enableVad?: boolean;
  enableDiarization?: boolean;
  sessionId?: string;
}

export interface WhisperSegment {
  id: number;
  /** Seconds from the start of the audio, as Whisper reports them. */
  start: number;
  end: number;
  text: string;
  speaker?: string;
  confidence: number;
}

export interface WhisperTranscription {
  text: string;
  segments: WhisperSegment[];
  language: string;
  confidence: number;
  processing_time: number;
  model_used: string;
  duration: number;
  session_id?: string;
  sample_rate: number;
  channels: number;
  enable_vad: boolean;
  enable_diarization: boolean;
}

/** The language of the tone alphabet's words. */
const SPOKEN_LANGUAGE = 'en';

/**
 * "Transcribes" by decoding the tone alphabet: each voiced span whose dominant tone is an alphabet
 * word becomes a segment with that word. Silence or unknown sound yields no text.
 */
@Injectable()
export class TranscriptionService {
  constructor(private readonly config: WhisperConfig) {}

  transcribe(input: TranscribeInput): WhisperTranscription {
    const started = performance.now();
    const settings = this.config.current();
    const model = input.model ?? settings.default_model;
    if (!isWhisperModel(model)) {
      throw new ApiError(
        400,
        'unknown_model',
        `model "${model}" is not available (${WHISPER_MODELS.join(', ')})`,
      );
    }
    const audio = this.decode(input);
    const diarize = input.enableDiarization ?? settings.enable_diarization;
    const words: Array<DecodedWord & { speaker?: string }> = diarize
      ? this.wordsBySpeaker(audio)
      : decodeToneWords(mixDown(audio), audio.sampleRate);
    words.sort((a, b) => a.startMs - b.startMs);
    const segments: WhisperSegment[] = words.map((w, id) => ({
      id,
      start: w.startMs / 1000,
      end: w.endMs / 1000,
      text: w.word,
      ...(w.speaker ? { speaker: w.speaker } : {}),
      confidence: w.confidence,
    }));
    const requested = input.language ?? settings.default_language;
    return {
      text: segments.map((s) => s.text).join(' '),
      segments,
      language: requested && requested !== 'auto' ? requested : SPOKEN_LANGUAGE,
      confidence: segments.length
        ? round(segments.reduce((sum, s) => sum + s.confidence, 0) / segments.length)
        : 0,
      processing_time: round((performance.now() - started) / 1000, 4),
      model_used: model,
      duration: round(durationMs(audio) / 1000),
      ...(input.sessionId ? { session_id: input.sessionId } : {}),
      sample_rate: audio.sampleRate,
      channels: audio.channels.length,
      enable_vad: input.enableVad ?? settings.enable_vad,
      enable_diarization: diarize,
    };
  }

  /** Stereo: one speaker per channel. Mono: one speaker per tone voice. */
  private wordsBySpeaker(audio: DecodedAudio): Array<DecodedWord & { speaker: string }> {
    if (audio.channels.length > 1) {
      return audio.channels.flatMap((channel, index) =>
        decodeToneWords(channel, audio.sampleRate).map((w) => ({ ...w, speaker: speakerName(index) })),
      );
    }
    return decodeToneWords(audio.channels[0]!, audio.sampleRate).map((w) => ({
      ...w,
      speaker: speakerName(w.voice),
    }));
  }

  private decode(input: TranscribeInput): DecodedAudio {
    try {
      if (isWav(input.audio)) return decodeWav(input.audio);
      const declaredRate = input.sampleRate ?? rateFromContentType(input.contentType);
      if (declaredRate !== undefined) return decodePcmS16le(input.audio, declaredRate, input.channels ?? 1);
      if (input.audio.length === 0) throw new AudioDecodeError('empty', 'audio is empty (0 bytes)');
      return decodeWav(input.audio); // reports why it is not a WAV
    } catch (error) {
      if (error instanceof AudioDecodeError) {
        const hint = error.code === 'not_wav' ? '; send WAV, or raw PCM s16le with sample_rate' : '';
        throw new ApiError(
          error.httpStatus,
          error.httpStatus === 415 ? 'unsupported_audio' : 'invalid_audio',
          `${error.message}${hint}`,
        );
      }
      throw error;
    }
  }
}

/** `audio/pcm;rate=16000` declares raw PCM s16le and its rate. */
function rateFromContentType(contentType?: string): number | undefined {
  const match = contentType?.match(/^audio\/pcm\b.*?\brate=(\d+)/i);
  return match ? Number(match[1]) : undefined;
}

function speakerName(index: number): string {
  return `SPEAKER_${String(index).padStart(2, '0')}`;
}

function round(value: number, digits = 3): number {
  return Number(value.toFixed(digits));
}
