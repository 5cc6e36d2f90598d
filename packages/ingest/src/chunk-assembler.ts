import { WAV_HEADER_BYTES, writeWavHeader } from '@livetranslate/audio';

/** A chunk cut from a live stream of PCM s16le mono. */
export interface AssembledChunk {
  /** PCM s16le mono: the repeated overlap followed by new audio. */
  pcm: Buffer;
  /** The same samples as a WAV: `pcm` is its tail, not a copy. */
  wav: Buffer;
  durationMs: number;
  /** Audio at the start repeated from the previous chunk. */
  overlapMs: number;
  /** Audio at the end the next chunk will repeat (0 for the last). */
  trailingOverlapMs: number;
  /** New audio on the session timeline (duration minus overlap). */
  newAudioMs: number;
}

const BYTES_PER_SAMPLE = 2;

/**
 * Cuts a live PCM stream into chunks of `chunkMs` where each repeats the last `overlapMs` of the
 * one before, so words at a cut are heard whole by one of the two. Frames may be any size; an odd
 * trailing byte waits for the next frame.
 */
export class ChunkAssembler {
  private readonly chunkBytes: number;
  private readonly overlapBytes: number;
  /** Frames received since the last cut, uncopied: joined once per chunk, not once per frame. */
  private readonly pending: Buffer[] = [];
  private pendingBytes = 0;
  private tail: Buffer | null = null;

  constructor(
    private readonly sampleRate: number,
    chunkMs: number,
    overlapMs: number,
  ) {
    this.chunkBytes = this.bytesOf(chunkMs);
    this.overlapBytes = Math.min(
      this.bytesOf(overlapMs),
      Math.floor(this.chunkBytes / 2 / BYTES_PER_SAMPLE) * BYTES_PER_SAMPLE,
    );
  }

  /** Audio received but not yet in a chunk, in ms. */
  get bufferedMs(): number {
    return this.msOf(this.pendingBytes);
  }

  /**
   * Starts by repeating `overlap` (the end of a chunk cut by another assembler whose input died), as
   * if this assembler had cut that chunk. Only before anything was pushed.
   */
  continueAfter(overlap: Buffer): void {
    if (this.pendingBytes || this.tail) throw new Error('continueAfter must come before any audio');
    const usable = Math.min(overlap.length, this.overlapBytes) & ~1;
    this.tail = usable > 0 ? Buffer.from(overlap.subarray(overlap.length - usable)) : null;
  }

  push(frame: Buffer): AssembledChunk[] {
    if (frame.length === 0) return [];
    this.pending.push(frame);
    this.pendingBytes += frame.length;
    const out: AssembledChunk[] = [];
    for (;;) {
      const tailBytes = this.tail?.length ?? 0;
      const stride = this.chunkBytes - tailBytes;
      if (this.pendingBytes < stride) return out;
      out.push(this.cut(this.withTail(stride, true), tailBytes, this.overlapBytes));
    }
  }

  /**
   * The chunk being recorded as it stands: the carried-over tail and what came since, for a draft.
   * Null when nothing new came since the last cut.
   */
  inProgress(): Pick<AssembledChunk, 'pcm' | 'wav' | 'durationMs' | 'overlapMs'> | null {
    if (this.usableBytes === 0) return null;
    const wav = this.withTail(this.usableBytes, false);
    const pcm = wav.subarray(WAV_HEADER_BYTES);
    return { pcm, wav, durationMs: this.msOf(pcm.length), overlapMs: this.msOf(this.tail?.length ?? 0) };
  }

  /** The last chunk: what is buffered after the carried-over tail. Null when nothing is left to cover. */
  flush(): AssembledChunk | null {
    if (this.usableBytes === 0 && !this.tail?.length) return null;
    return this.cutRemainder(() => 0);
  }

  /**
   * The input goes away but the session goes on: what is buffered becomes a chunk whose end (up to
   * the overlap) the session's next input repeats, so a word cut by the hand-over is heard whole by
   * one of the two and the overlap rule counts it once. Forgets that end afterwards: it is the
   * session's to carry now, not this assembler's. Null when nothing new came since the last cut
   * (that cut's own end is already the one carried).
   */
  handover(): AssembledChunk | null {
    if (this.usableBytes === 0) {
      this.tail = null;
      return null;
    }
    return this.cutRemainder((length) => Math.min(this.overlapBytes, length));
  }

  /** Buffered audio in whole samples (an odd trailing byte waits for the next frame). */
  private get usableBytes(): number {
    return this.pendingBytes - (this.pendingBytes % BYTES_PER_SAMPLE);
  }

  /**
   * A WAV of the carried-over tail followed by the first `bytes` buffered, in one new buffer (the
   * samples are copied once, into place behind the header); `consume` drops those bytes from the
   * buffer (a frame cut in two keeps its rest, uncopied).
   */
  private withTail(bytes: number, consume: boolean): Buffer {
    const tail = this.tail;
    const out = Buffer.allocUnsafe(WAV_HEADER_BYTES + (tail?.length ?? 0) + bytes);
    writeWavHeader(out, this.sampleRate);
    let at = WAV_HEADER_BYTES + (tail ? tail.copy(out, WAV_HEADER_BYTES) : 0);
    let left = bytes;
    let used = 0;
    while (left > 0) {
      const frame = this.pending[used]!;
      const take = Math.min(left, frame.length);
      at += frame.copy(out, at, 0, take);
      left -= take;
      if (take < frame.length) {
        if (consume) this.pending[used] = frame.subarray(take);
        break;
      }
      used++;
    }
    if (consume) {
      this.pending.splice(0, used);
      this.pendingBytes -= bytes;
    }
    return out;
  }

  /** Cuts the tail and everything buffered as one chunk, ending with `trailing(length)` bytes owed. */
  private cutRemainder(trailing: (length: number) => number): AssembledChunk {
    const tailBytes = this.tail?.length ?? 0;
    const wav = this.withTail(this.usableBytes, false);
    const chunk = this.cut(wav, tailBytes, trailing(wav.length - WAV_HEADER_BYTES));
    // An odd trailing byte goes too: a whole stream's last byte is no sample.
    this.pending.length = 0;
    this.pendingBytes = 0;
    this.tail = null;
    return chunk;
  }

  private cut(wav: Buffer, overlapBytes: number, trailingBytes: number): AssembledChunk {
    const pcm = wav.subarray(WAV_HEADER_BYTES);
    this.tail = trailingBytes > 0 ? Buffer.from(pcm.subarray(pcm.length - trailingBytes)) : null;
    return {
      pcm,
      wav,
      durationMs: this.msOf(pcm.length),
      overlapMs: this.msOf(overlapBytes),
      trailingOverlapMs: this.msOf(trailingBytes),
      newAudioMs: this.msOf(pcm.length - overlapBytes),
    };
  }

  private bytesOf(ms: number): number {
    return Math.round((ms * this.sampleRate) / 1000) * BYTES_PER_SAMPLE;
  }

  private msOf(bytes: number): number {
    return Math.round((bytes / BYTES_PER_SAMPLE / this.sampleRate) * 1000);
  }
}
