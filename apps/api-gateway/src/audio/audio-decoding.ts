import {
  ACCEPTED_AUDIO,
  AudioDecodeError,
  compressedFormatOf,
  decodeCompressed,
  decodePcmS16le,
  decodeWav,
  isWav,
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
  try {
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
