import {
  ACCEPTED_AUDIO,
  AudioDecodeError,
  compressedFormatOf,
  decodeCompressed,
  decodePcmS16le,
  decodeWav,
  durationMs,
  encodeWav,
  isWav,
  readWavInfo,
  resample,
  type DecodedAudio,
} from '@livetranslate/audio';
import { ApiError } from '@livetranslate/service-kit';

/**
 * Reads uploaded audio: a WAV as it is; WebM/Opus, Ogg/Opus or MP3 (what browsers and phones record)
 * decoded and resampled to `targetRate`; raw PCM s16le mono when its `sampleRate` is declared.
 * Anything else is a 415 listing what is accepted; broken audio a 400.
 */
export async function decodeUpload(
  bytes: Buffer,
  { sampleRate, targetRate }: { sampleRate?: number | undefined; targetRate: number },
): Promise<DecodedAudio> {
  return asApiErrors(async () => {
    if (isWav(bytes)) return decodeWav(bytes);
    if (compressedFormatOf(bytes)) {
      const audio = await decodeCompressed(bytes);
      const channels = await Promise.all(
        audio.channels.map((c) => resample(c, audio.sampleRate, targetRate)),
      );
      return { ...audio, sampleRate: targetRate, channels };
    }
    if (sampleRate) return decodePcmS16le(bytes, sampleRate, 1);
    throw new AudioDecodeError(
      'unsupported',
      `not an audio format this platform decodes; accepted: ${ACCEPTED_AUDIO}, or raw PCM s16le mono with sample_rate`,
    );
  });
}

/** One uploaded chunk as a WAV to store, with what it holds. */
export interface ChunkAudio {
  wav: Buffer;
  sampleRate: number;
  channels: number;
  durationMs: number;
}

/**
 * An uploaded chunk ready to store: a WAV as sent, checked from its header (its samples are the
 * worker's to decode); anything else decoded as `decodeUpload` does and written as a WAV.
 */
export async function chunkAudio(
  bytes: Buffer,
  options: { sampleRate?: number | undefined; targetRate: number },
): Promise<ChunkAudio> {
  if (isWav(bytes)) {
    const info = await asApiErrors(async () => readWavInfo(bytes));
    return { wav: bytes, sampleRate: info.sampleRate, channels: info.channels, durationMs: info.durationMs };
  }
  const audio = await decodeUpload(bytes, options);
  return {
    wav: encodeWav(audio.channels, audio.sampleRate),
    sampleRate: audio.sampleRate,
    channels: audio.channels.length,
    durationMs: durationMs(audio),
  };
}

/** A decoding failure as the API answers it: 415 for what is not accepted, 400 for broken audio. */
async function asApiErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AudioDecodeError) {
      throw new ApiError(
        error.httpStatus,
        error.httpStatus === 415 ? 'unsupported_audio' : 'invalid_audio',
        error.message,
      );
    }
    throw error;
  }
}
