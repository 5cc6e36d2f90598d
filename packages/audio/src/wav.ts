import { AudioDecodeError } from './audio-error.js';
import type { DecodedAudio } from './decoded-audio.js';

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_EXTENSIBLE = 0xfffe;
/** Writers that stream WAV put one of these in a size field they cannot know in advance. */
const UNKNOWN_SIZES = new Set([0, 0xffffffff]);
const MAX_CHANNELS = 8;

export function isWav(bytes: Uint8Array): boolean {
  return bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WAVE';
}

interface WavFormat {
  tag: number;
  channels: number;
  sampleRate: number;
  bits: number;
  blockAlign: number;
}

/**
 * Decodes a RIFF/WAVE file: PCM 8/16/24/32-bit or IEEE float 32/64, any sample rate, 1–8 channels,
 * WAVE_FORMAT_EXTENSIBLE included. Unknown chunks (LIST, fact, large vendor headers) are skipped
 * without being copied. Throws AudioDecodeError saying exactly what is wrong.
 */
export function decodeWav(bytes: Uint8Array): DecodedAudio {
  const { format, data } = locateWav(bytes);
  return decodeSamples(data, format);
}

/** What a WAV file holds. */
export interface WavInfo {
  sampleRate: number;
  channels: number;
  /** Whole sample frames (a trailing partial frame is not counted, as `decodeWav` drops it). */
  frames: number;
  durationMs: number;
}

/** What a WAV file holds, from its header: checked exactly as `decodeWav` checks it, nothing decoded. */
export function readWavInfo(bytes: Uint8Array): WavInfo {
  const { format, data } = locateWav(bytes);
  const frames = Math.floor(data.length / format.blockAlign);
  return {
    sampleRate: format.sampleRate,
    channels: format.channels,
    frames,
    durationMs: (frames / format.sampleRate) * 1000,
  };
}

/** The format and sample data of a WAV file, validated. */
function locateWav(bytes: Uint8Array): { format: WavFormat; data: Uint8Array } {
  if (bytes.length === 0) throw new AudioDecodeError('empty', 'audio is empty (0 bytes)');
  if (bytes.length < 12) {
    const looksLikeRiff = 'RIFF'.startsWith(ascii(bytes, 0, Math.min(4, bytes.length)));
    if (!looksLikeRiff) throw new AudioDecodeError('not_wav', 'not a WAV file (no RIFF/WAVE header)');
    throw new AudioDecodeError('truncated', `WAV header truncated: ${bytes.length} bytes`);
  }
  if (ascii(bytes, 0, 4) !== 'RIFF' || ascii(bytes, 8, 4) !== 'WAVE') {
    throw new AudioDecodeError('not_wav', 'not a WAV file (no RIFF/WAVE header)');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 12;
  let format: WavFormat | undefined;
  while (offset + 8 <= bytes.length) {
    const id = ascii(bytes, offset, 4);
    let size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + size > bytes.length)
        throw new AudioDecodeError('truncated', 'fmt chunk truncated');
      let tag = view.getUint16(body, true);
      const channels = view.getUint16(body + 2, true);
      const sampleRate = view.getUint32(body + 4, true);
      const blockAlign = view.getUint16(body + 12, true);
      const bits = view.getUint16(body + 14, true);
      if (tag === FORMAT_EXTENSIBLE) {
        if (size < 40) throw new AudioDecodeError('corrupt', 'WAVE_FORMAT_EXTENSIBLE fmt chunk too short');
        tag = view.getUint16(body + 24, true); // first two bytes of the sub-format GUID
      }
      format = { tag, channels, sampleRate, bits, blockAlign };
      validateFormat(format);
    } else if (id === 'data') {
      if (!format) throw new AudioDecodeError('corrupt', 'data chunk before fmt chunk');
      const available = bytes.length - body;
      if (size > available) {
        if (!UNKNOWN_SIZES.has(size)) {
          throw new AudioDecodeError(
            'truncated',
            `WAV data truncated: header says ${size} bytes, ${available} present`,
          );
        }
        size = available;
      } else if (size === 0 && available > 0) {
        size = available;
      }
      return { format, data: bytes.subarray(body, body + size) };
    } else if (body + size > bytes.length) {
      throw new AudioDecodeError(
        'truncated',
        `"${id.replace(/[^\x20-\x7e]/g, '?')}" chunk runs past the end of the file`,
      );
    }
    offset = body + size + (size % 2); // chunks are word-aligned
  }
  throw new AudioDecodeError(
    format ? 'truncated' : 'corrupt',
    format ? 'WAV has no data chunk' : 'WAV has no fmt chunk',
  );
}

function validateFormat(f: WavFormat) {
  if (f.tag !== FORMAT_PCM && f.tag !== FORMAT_FLOAT) {
    throw new AudioDecodeError(
      'unsupported',
      `WAV encoding ${f.tag} is not supported (PCM or IEEE float only)`,
    );
  }
  if (f.channels < 1 || f.channels > MAX_CHANNELS) {
    throw new AudioDecodeError(
      f.channels < 1 ? 'corrupt' : 'unsupported',
      `WAV has ${f.channels} channels (1–${MAX_CHANNELS})`,
    );
  }
  if (f.sampleRate < 1000 || f.sampleRate > 384_000) {
    throw new AudioDecodeError('corrupt', `WAV sample rate ${f.sampleRate} Hz is out of range`);
  }
  const okBits = f.tag === FORMAT_FLOAT ? [32, 64] : [8, 16, 24, 32];
  if (!okBits.includes(f.bits)) {
    throw new AudioDecodeError(
      'unsupported',
      `${f.bits}-bit ${f.tag === FORMAT_FLOAT ? 'float' : 'PCM'} WAV is not supported`,
    );
  }
  if (f.blockAlign !== (f.bits / 8) * f.channels) {
    throw new AudioDecodeError(
      'corrupt',
      `WAV block align ${f.blockAlign} does not match ${f.channels} × ${f.bits} bits`,
    );
  }
}

function decodeSamples(data: Uint8Array, f: WavFormat): DecodedAudio {
  const frames = Math.floor(data.length / f.blockAlign); // a trailing partial frame is dropped
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const channels = Array.from({ length: f.channels }, () => new Float32Array(frames));
  const bytesPer = f.bits / 8;
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < f.channels; c++) {
      const at = i * f.blockAlign + c * bytesPer;
      channels[c]![i] = readSample(view, at, f.tag, f.bits);
    }
  }
  return {
    sampleRate: f.sampleRate,
    channels,
    sourceBits: f.bits,
    sourceFormat: f.tag === FORMAT_FLOAT ? 'float' : 'pcm',
  };
}

function readSample(view: DataView, at: number, tag: number, bits: number): number {
  if (tag === FORMAT_FLOAT) return bits === 32 ? view.getFloat32(at, true) : view.getFloat64(at, true);
  switch (bits) {
    case 8:
      return (view.getUint8(at) - 128) / 128;
    case 16:
      return view.getInt16(at, true) / 32768;
    case 24: {
      const value = view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getInt8(at + 2) << 16);
      return value / 8388608;
    }
    default:
      return view.getInt32(at, true) / 2147483648;
  }
}

export interface EncodeWavOptions {
  bits?: 8 | 16 | 24 | 32;
  float?: boolean;
}

/** Bytes of the header `writeWavHeader` writes before the samples. */
export const WAV_HEADER_BYTES = 44;

/**
 * Writes a WAV header (16-bit PCM unless told otherwise) into the first `WAV_HEADER_BYTES` of `wav`,
 * whose rest holds the samples: a producer that lays samples out behind room for the header gets
 * its WAV without copying them.
 */
export function writeWavHeader(
  wav: Buffer,
  sampleRate: number,
  channels = 1,
  options: EncodeWavOptions = {},
): void {
  const float = options.float ?? false;
  const bits = float ? 32 : (options.bits ?? 16);
  const dataBytes = wav.length - WAV_HEADER_BYTES;
  const blockAlign = (bits / 8) * channels;
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + dataBytes, 4);
  wav.write('WAVE', 8, 'ascii');
  wav.write('fmt ', 12, 'ascii');
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(float ? FORMAT_FLOAT : FORMAT_PCM, 20);
  wav.writeUInt16LE(channels, 22);
  wav.writeUInt32LE(sampleRate, 24);
  wav.writeUInt32LE(sampleRate * blockAlign, 28);
  wav.writeUInt16LE(blockAlign, 32);
  wav.writeUInt16LE(bits, 34);
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(dataBytes, 40);
}

/** Encodes channels of [-1, 1] samples as a WAV file (16-bit PCM unless told otherwise). */
export function encodeWav(
  channels: Float32Array[],
  sampleRate: number,
  options: EncodeWavOptions = {},
): Buffer {
  const float = options.float ?? false;
  const bits = float ? 32 : (options.bits ?? 16);
  const frames = channels[0]?.length ?? 0;
  const blockAlign = (bits / 8) * channels.length;
  const out = Buffer.alloc(WAV_HEADER_BYTES + frames * blockAlign);
  writeWavHeader(out, sampleRate, channels.length, options);
  let at = WAV_HEADER_BYTES;
  for (let i = 0; i < frames; i++) {
    for (const channel of channels) {
      const s = Math.max(-1, Math.min(1, channel[i]!));
      if (float) out.writeFloatLE(s, at);
      else if (bits === 8) out.writeUInt8(Math.round(s * 127) + 128, at);
      else if (bits === 16) out.writeInt16LE(Math.round(s * 32767), at);
      else if (bits === 24) out.writeIntLE(Math.round(s * 8388607), at, 3);
      else out.writeInt32LE(Math.round(s * 2147483647), at);
      at += bits / 8;
    }
  }
  return out;
}

function ascii(bytes: Uint8Array, at: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + length));
}

/** Wraps interleaved PCM s16le bytes in a WAV header, without touching the samples. */
export function pcm16ToWav(pcm: Uint8Array, sampleRate: number, channels = 1): Buffer {
  const wav = Buffer.allocUnsafe(WAV_HEADER_BYTES + pcm.length);
  writeWavHeader(wav, sampleRate, channels);
  wav.set(pcm, WAV_HEADER_BYTES);
  return wav;
}
