import { Decoder } from 'ebml';
import { AudioDecodeError } from './audio-error.js';

/** WebM / Matroska files start with the EBML header's id. */
export function isWebm(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 && bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3
  );
}

/** The Opus track of a WebM file: its frames in order, and what the decoder needs to start. */
export interface WebmOpus {
  channels: number;
  /** Samples (at 48 kHz) the decoder drops at the start (the OpusHead's pre-skip). */
  preSkip: number;
  frames: Uint8Array[];
}

/**
 * Takes the Opus frames out of a WebM file (what browsers' MediaRecorder writes): the EBML parse is
 * node-ebml's; what it leaves to the caller — the audio track's codec and header, and blocks that
 * pack several frames (Xiph, EBML or fixed-size lacing) — is done here.
 */
export function demuxWebmOpus(bytes: Uint8Array): WebmOpus {
  const decoder = new Decoder();
  const tracks = new Map<
    number,
    { codec?: string; channels?: number; codecPrivate?: Uint8Array; type?: number }
  >();
  let current: {
    number?: number;
    codec?: string;
    channels?: number;
    codecPrivate?: Uint8Array;
    type?: number;
  } = {};
  const blocks: Array<{ track: number; data: Uint8Array; payloadLength: number }> = [];
  decoder.on('data', ([kind, tag]: ['start' | 'end' | 'tag', EbmlTag]) => {
    if (kind === 'start' && tag.name === 'TrackEntry') current = {};
    else if (kind === 'end' && tag.name === 'TrackEntry' && current.number !== undefined)
      tracks.set(current.number, current);
    else if (kind !== 'tag') return;
    switch (tag.name) {
      case 'TrackNumber':
        current.number = Number(tag.value);
        break;
      case 'TrackType':
        current.type = Number(tag.value);
        break;
      case 'CodecID':
        current.codec = String(tag.value);
        break;
      case 'Channels':
        current.channels = Number(tag.value);
        break;
      case 'CodecPrivate':
        current.codecPrivate = tag.data;
        break;
      case 'SimpleBlock':
      case 'Block':
        if (tag.payload && tag.data)
          blocks.push({ track: Number(tag.track), data: tag.data, payloadLength: tag.payload.length });
        break;
    }
  });
  try {
    decoder.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    throw new AudioDecodeError('corrupt', `WebM could not be parsed: ${(error as Error).message}`);
  }
  if (tracks.size === 0)
    throw new AudioDecodeError('truncated', 'the WebM file has no complete track description (cut short?)');
  const [number, track] = [...tracks].find(([, t]) => t.codec === 'A_OPUS') ?? [];
  if (number === undefined || !track) {
    const codecs = [...tracks.values()].map((t) => t.codec).filter(Boolean);
    throw new AudioDecodeError(
      'unsupported',
      `WebM without an Opus audio track (tracks: ${codecs.join(', ') || 'none'}); WebM audio must be Opus`,
    );
  }
  const head = track.codecPrivate;
  const preSkip = head && head.length >= 12 ? head[10]! | (head[11]! << 8) : 0;
  const frames = blocks.filter((b) => b.track === number).flatMap((b) => unlace(b.data, b.payloadLength));
  if (frames.length === 0) throw new AudioDecodeError('empty', 'the WebM file holds no audio frames');
  return { channels: track.channels ?? head?.[9] ?? 1, preSkip, frames };
}

interface EbmlTag {
  name: string;
  value?: unknown;
  data?: Uint8Array;
  payload?: Uint8Array;
  track?: number;
}

/** The frames of one block (its data is track number, timecode, flags, then the laced payload). */
function unlace(data: Uint8Array, payloadLength: number): Uint8Array[] {
  const flagsAt = data.length - payloadLength - 1;
  const lacing = (data[flagsAt]! >> 1) & 0x03;
  const payload = data.subarray(flagsAt + 1);
  if (lacing === 0) return [payload];
  const count = payload[0]! + 1;
  let at = 1;
  const sizes: number[] = [];
  if (lacing === 0b01) {
    // Xiph: each size but the last as a run of 255s and a final byte.
    for (let i = 0; i < count - 1; i++) {
      let size = 0;
      for (;;) {
        const byte = payload[at++]!;
        size += byte;
        if (byte !== 255) break;
      }
      sizes.push(size);
    }
  } else if (lacing === 0b11) {
    // EBML: the first size as an unsigned vint, the others as signed differences from the one before.
    const [firstSize, firstLength] = vint(payload, at);
    let size = firstSize;
    at += firstLength;
    sizes.push(size);
    for (let i = 1; i < count - 1; i++) {
      const [raw, rawLength] = vint(payload, at);
      at += rawLength;
      size += raw - (2 ** (7 * rawLength - 1) - 1);
      sizes.push(size);
    }
  } else {
    // Fixed-size: every frame the same length.
    const size = (payload.length - at) / count;
    for (let i = 0; i < count - 1; i++) sizes.push(size);
  }
  const frames: Uint8Array[] = [];
  for (const size of sizes) {
    frames.push(payload.subarray(at, at + size));
    at += size;
  }
  frames.push(payload.subarray(at));
  if (frames.some((f) => f.length === 0 || at > payload.length))
    throw new AudioDecodeError('corrupt', 'a WebM block’s frame sizes do not add up');
  return frames;
}

/** An EBML variable-length integer at `at`: its value (marker bit removed) and its length in bytes. */
function vint(bytes: Uint8Array, at: number): [number, number] {
  const first = bytes[at]!;
  let length = 1;
  while (length <= 8 && !(first & (0x80 >> (length - 1)))) length++;
  let value = first & (0xff >> length);
  for (let i = 1; i < length; i++) value = value * 256 + bytes[at + i]!;
  return [value, length];
}
