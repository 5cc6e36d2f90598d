import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

/** Where a chunk's audio came from. */
export const AUDIO_SOURCE_TYPES = ['websocket', 'upload', 'bot'] as const;
export type AudioSourceType = (typeof AUDIO_SOURCE_TYPES)[number];

/** Encodings the pipeline can hand to the Whisper service. */
export const AUDIO_ENCODINGS = ['pcm_s16le', 'wav'] as const;
export type AudioEncoding = (typeof AUDIO_ENCODINGS)[number];

/** Stages a chunk passes through; `ProcessingFailed.stage` names one of them. */
export const PROCESSING_STAGES = ['storage', 'transcription', 'translation'] as const;
export type ProcessingStage = (typeof PROCESSING_STAGES)[number];

/** Most target languages one session (upload, bot) may ask for: each costs a translation per chunk. */
export const MAX_TARGET_LANGUAGES = 8;

/** Language code: ISO 639-1 (`en`), optionally with a region (`pt-BR`), or `auto`. */
const LANGUAGE_MAX = 16;

abstract class ChunkRef {
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  session_id!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  chunk_id!: string;

  /** Position of the chunk in its session, from 0. */
  @IsInt()
  @Min(0)
  seq!: number;
}

export class AudioConfig {
  @IsInt()
  @Min(1000)
  @Max(384_000)
  sample_rate!: number;

  @IsInt()
  @Min(1)
  @Max(8)
  channels!: number;

  @IsIn(AUDIO_ENCODINGS)
  encoding!: AudioEncoding;
}

export class ProcessingFlags {
  @IsBoolean()
  transcribe!: boolean;

  @IsBoolean()
  diarize!: boolean;

  @IsBoolean()
  translate!: boolean;

  @IsArray()
  @ArrayMaxSize(16)
  @IsString({ each: true })
  @MaxLength(LANGUAGE_MAX, { each: true })
  target_languages!: string[];

  /** Spoken language if known; absent or `auto` lets the Whisper service detect it. */
  @IsOptional()
  @IsString()
  @MaxLength(LANGUAGE_MAX)
  source_language?: string;
}

/** A stretch of a meeting during which one named participant spoke, as captions reported it. */
export class SpeakerTurn {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @IsInt()
  @Min(0)
  start_ms!: number;

  @IsInt()
  @Min(0)
  end_ms!: number;

  @IsNumber()
  @Min(0)
  @Max(1)
  confidence!: number;
}

export class AudioChunkReceived extends ChunkRef {
  @IsString()
  @IsNotEmpty()
  tenant_id!: string;

  @IsIn(AUDIO_SOURCE_TYPES)
  source_type!: AudioSourceType;

  /** Where the bytes are, e.g. `redis://audio:{session}:chunk`; audio never travels in the stream. */
  @IsString()
  @IsNotEmpty()
  storage_uri!: string;

  @IsString()
  @IsNotEmpty()
  content_type!: string;

  @IsObject()
  @ValidateNested()
  @Type(() => AudioConfig)
  audio_config!: AudioConfig;

  /** Absolute start of the chunk, in ms from the session start. */
  @IsInt()
  @Min(0)
  start_ms!: number;

  @IsInt()
  @Min(1)
  duration_ms!: number;

  /** How much of the start of this chunk repeats the end of the previous one. */
  @IsOptional()
  @IsInt()
  @Min(0)
  overlap_ms?: number;

  /**
   * How much of the end of this chunk the next chunk will repeat (0 for the last one). With
   * `overlap_ms` it tells the worker which words at either edge belong to a neighbour.
   */
  @IsOptional()
  @IsInt()
  @Min(0)
  trailing_overlap_ms?: number;

  @IsObject()
  @ValidateNested()
  @Type(() => ProcessingFlags)
  processing_flags!: ProcessingFlags;

  /**
   * Additive: who spoke when within this chunk's window, from the meeting's captions (bots only),
   * in absolute session ms. The worker names transcript segments from it.
   */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(256)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => SpeakerTurn)
  speakers?: SpeakerTurn[];
}

export class TranscriptSegment {
  @IsInt()
  @Min(0)
  start_ms!: number;

  @IsInt()
  @Min(0)
  end_ms!: number;

  @IsString()
  text!: string;

  @IsOptional()
  @IsString()
  speaker?: string;

  @IsNumber()
  @Min(0)
  @Max(1)
  confidence!: number;
}

export class TranscriptionTimings {
  @IsNumber()
  @Min(0)
  queued_ms!: number;

  /** The Whisper call as the worker saw it, network and retries included. */
  @IsNumber()
  @Min(0)
  whisper_ms!: number;

  /** The processing time the Whisper service itself reported. */
  @IsOptional()
  @IsNumber()
  @Min(0)
  service_ms?: number;
}

export class TranscriptionCompleted extends ChunkRef {
  @IsString()
  text!: string;

  @IsString()
  @MaxLength(LANGUAGE_MAX)
  language!: string;

  @IsNumber()
  @Min(0)
  @Max(1)
  confidence!: number;

  @IsArray()
  @IsObject({ each: true }) // without it class-validator lets `[[]]` through
  @ValidateNested({ each: true })
  @Type(() => TranscriptSegment)
  segments!: TranscriptSegment[];

  @IsString()
  model!: string;

  @IsObject()
  @ValidateNested()
  @Type(() => TranscriptionTimings)
  timings!: TranscriptionTimings;
}

export class TranslationTimings {
  @IsNumber()
  @Min(0)
  queued_ms!: number;

  @IsNumber()
  @Min(0)
  translation_ms!: number;

  /** The processing time the translation service itself reported. */
  @IsOptional()
  @IsNumber()
  @Min(0)
  service_ms?: number;
}

export class TranslationCompleted extends ChunkRef {
  @IsString()
  @MaxLength(LANGUAGE_MAX)
  source_language!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(LANGUAGE_MAX)
  target_language!: string;

  @IsString()
  text!: string;

  @IsString()
  translated_text!: string;

  @IsNumber()
  @Min(0)
  @Max(1)
  confidence!: number;

  @IsString()
  backend!: string;

  @IsObject()
  @ValidateNested()
  @Type(() => TranslationTimings)
  timings!: TranslationTimings;
}

/** A session and the chunks it accepted: what its end and its completion both report. */
abstract class SessionChunks {
  @IsString()
  @IsNotEmpty()
  session_id!: string;

  /** Chunks the session accepted. */
  @IsInt()
  @Min(0)
  total_chunks!: number;
}

/** Written to a session's event log when its input ends: results are due for seq 0 … total_chunks-1. */
export class SessionEnded extends SessionChunks {
  @IsString()
  reason!: string;
}

/**
 * Every chunk of an ended session has its results or its ProcessingFailed: nothing more will be
 * appended for it. Written once per session, by whichever side finished the last piece.
 */
export class SessionCompleted extends SessionChunks {
  /** Chunks with every result (transcription and each translation). */
  @IsInt()
  @Min(0)
  completed_chunks!: number;

  /** Chunks with at least one ProcessingFailed. */
  @IsInt()
  @Min(0)
  failed_chunks!: number;

  /** Audio the session accepted, in ms of its timeline. */
  @IsInt()
  @Min(0)
  audio_ms!: number;
}

export class ProcessingFailed extends ChunkRef {
  @IsIn(PROCESSING_STAGES)
  stage!: ProcessingStage;

  @IsString()
  @IsNotEmpty()
  error_code!: string;

  @IsString()
  message!: string;

  @IsInt()
  @Min(0)
  attempts!: number;

  /** Set when `stage` is `translation`: the language that failed. */
  @IsOptional()
  @IsString()
  target_language?: string;
}

/** Which draft of which chunk: the seq it will most likely get, and the draft's number. */
abstract class DraftRef {
  @IsString()
  @IsNotEmpty()
  session_id!: string;

  /** The seq the chunk being recorded will most likely get (the next after the last one stored). */
  @IsInt()
  @Min(0)
  seq!: number;

  /** Increases with every draft of the session: only the newest is worth transcribing or showing. */
  @IsInt()
  @Min(0)
  draft!: number;

  /** Where the drafted audio starts on the session timeline, in ms. */
  @IsInt()
  @Min(0)
  start_ms!: number;
}

/**
 * The audio so far of a chunk still being recorded (its bytes behind `storage_uri`, overwritten by
 * each newer draft of the session): the worker transcribes it into a TranscriptionDraft when it has
 * time. Internal to the platform: shed under load, never in a session's log.
 */
export class AudioDraftReceived extends DraftRef {
  @IsString()
  @IsNotEmpty()
  tenant_id!: string;

  @IsString()
  @IsNotEmpty()
  storage_uri!: string;

  @IsInt()
  @Min(1)
  duration_ms!: number;

  @IsOptional()
  @IsString()
  @MaxLength(LANGUAGE_MAX)
  source_language?: string;
}

/**
 * Interim text of a chunk still being recorded: what was said so far, sent to the session's
 * connected clients only (never in its log, never replayed); the next draft or the chunk's
 * TranscriptionCompleted replaces it.
 */
export class TranscriptionDraft extends DraftRef {
  @IsString()
  text!: string;

  @IsOptional()
  @IsString()
  @MaxLength(LANGUAGE_MAX)
  language?: string;

  /** Where the drafted audio ends on the session timeline, in ms. */
  @IsInt()
  @Min(0)
  end_ms!: number;
}
