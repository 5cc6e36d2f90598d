import { AudioDecodeError } from './audio-error.js';
import type { DecodedAudio } from './decoded-audio.js';

/** Decodes raw PCM signed 16-bit little-endian, interleaved, at a declared rate. */
export function decodePcmS16le(bytes: Uint8Array, sampleRate: number, channelCount = 1): DecodedAudio {
  if (!Number.isInteger(sampleRate) || sampleRate < 1000 || sampleRate > 384_000) {
    throw new AudioDecodeError('corrupt', `sample rate ${sampleRate} Hz is out of range`);
  }
  if (!Number.isInteger(channelCount) || channelCount < 1 || channelCount > 8) {
    throw new AudioDecodeError('corrupt', `channel count ${channelCount} is out of range (1–8)`);
  }
  if (bytes.length === 0) throw new AudioDecodeError('empty', 'audio is empty (0 bytes)');
  const blockAlign = 2 * channelCount;
  if (bytes.length % blockAlign !== 0) {
    throw new AudioDecodeError(
      'truncated',
      `raw PCM length ${bytes.length} is not a whole number of ${blockAlign}-byte frames`,
    );
  }
  const frames = bytes.length / blockAlign;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const channels = Array.from({ length: channelCount }, () => new Float32Array(frames));
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channelCount; c++)
      channels[c]![i] = view.getInt16(i * blockAlign + c * 2, true) / 32768;
  }
  return { sampleRate, channels, sourceBits: 16, sourceFormat: 'pcm' };
}

/** Encodes mono [-1, 1] samples as raw PCM s16le. */
export function encodePcmS16le(samples: Float32Array): Buffer {
  const out = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++)
    out.writeInt16LE(Math.round(Math.max(-1, Math.min(1, samples[i]!)) * 32767), i * 2);
  return out;
}
