import { MPEGDecoder } from 'mpg123-decoder';
import { OggOpusDecoder } from 'ogg-opus-decoder';
import { OpusDecoder } from 'opus-decoder';
import { AudioDecodeError } from './audio-error.js';
import type { DecodedAudio } from './decoded-audio.js';
import { demuxWebmOpus, isWebm } from './webm.js';

/** Compressed formats browsers and phones record, decoded by WebAssembly builds of libopus and mpg123. */
export type CompressedFormat = 'ogg-opus' | 'webm-opus' | 'mp3';

/** The formats taken besides WAV, as an error lists them. */
export const ACCEPTED_AUDIO = 'WAV (PCM or float), WebM/Opus, Ogg/Opus, MP3';

/** Which compressed format `bytes` is, by its first bytes; null for anything else. */
export function compressedFormatOf(bytes: Uint8Array): CompressedFormat | null {
  if (bytes.length >= 4 && bytes[0] === 0x4f && bytes[1] === 0x67 && bytes[2] === 0x67 && bytes[3] === 0x53)
    return 'ogg-opus'; // "OggS"
  if (isWebm(bytes)) return 'webm-opus';
  // An ID3 tag, or an MPEG audio frame sync (11 bits set) of layer III.
  if (bytes.length >= 3 && bytes[0] === 0x49 && bytes[1] === 0x44 && bytes[2] === 0x33) return 'mp3';
  if (bytes.length >= 2 && bytes[0] === 0xff && (bytes[1]! & 0xe0) === 0xe0 && (bytes[1]! & 0x06) === 0x02)
    return 'mp3';
  return null;
}

/** Decodes WebM/Opus, Ogg/Opus or MP3; throws AudioDecodeError (415 for any other format). */
export async function decodeCompressed(bytes: Uint8Array): Promise<DecodedAudio> {
  const format = compressedFormatOf(bytes);
  if (!format)
    throw new AudioDecodeError(
      'unsupported',
      `not an audio format this platform decodes; accepted: ${ACCEPTED_AUDIO}`,
    );
  const decoded = await decodeAs(format, bytes);
  if (decoded.samplesDecoded === 0 || decoded.channelData.length === 0)
    throw new AudioDecodeError('corrupt', `the ${format} audio holds no decodable samples`);
  return {
    sampleRate: decoded.sampleRate,
    channels: decoded.channelData.map((c) => c.subarray(0, decoded.samplesDecoded)),
    sourceBits: 16,
    sourceFormat: format,
  };
}

interface Decoded {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  errors?: unknown[];
}

async function decodeAs(format: CompressedFormat, bytes: Uint8Array): Promise<Decoded> {
  switch (format) {
    case 'ogg-opus': {
      const decoder = new OggOpusDecoder();
      await decoder.ready;
      try {
        return await decoder.decodeFile(bytes);
      } finally {
        decoder.free();
      }
    }
    case 'webm-opus': {
      const track = demuxWebmOpus(bytes);
      const decoder = new OpusDecoder({ channels: track.channels, preSkip: track.preSkip });
      await decoder.ready;
      try {
        return decoder.decodeFrames(track.frames);
      } finally {
        decoder.free();
      }
    }
    case 'mp3': {
      const decoder = new MPEGDecoder();
      await decoder.ready;
      try {
        return decoder.decode(bytes);
      } finally {
        decoder.free();
      }
    }
  }
}
