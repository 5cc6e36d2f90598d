/** Decoded audio: one Float32Array per channel, samples in [-1, 1]. */
export interface DecodedAudio {
  sampleRate: number;
  channels: Float32Array[];
  /** Bits per sample of the source, for reporting. */
  sourceBits: number;
  sourceFormat: 'pcm' | 'float' | 'ogg-opus' | 'webm-opus' | 'mp3';
}

export function durationMs(audio: DecodedAudio): number {
  const frames = audio.channels[0]?.length ?? 0;
  return (frames / audio.sampleRate) * 1000;
}

/** Averages all channels into one. */
export function mixDown(audio: DecodedAudio): Float32Array {
  const [first, ...rest] = audio.channels;
  if (!first) return new Float32Array(0);
  if (rest.length === 0) return first;
  const out = new Float32Array(first.length);
  for (const channel of audio.channels)
    for (let i = 0; i < out.length; i++) out[i]! += channel[i]! / audio.channels.length;
  return out;
}
