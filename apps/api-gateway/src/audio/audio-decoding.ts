import { AudioDecodeError, decodePcmS16le, decodeWav, isWav, type DecodedAudio } from '@livetranslate/audio';
import { ApiError } from '@livetranslate/service-kit';

/** Reads an uploaded WAV (or raw PCM s16le with a declared rate), turning decode failures into 400/415. */
export function decodeUpload(bytes: Buffer, sampleRate?: number): DecodedAudio {
  try {
    if (!isWav(bytes) && sampleRate) return decodePcmS16le(bytes, sampleRate, 1);
    return decodeWav(bytes);
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
