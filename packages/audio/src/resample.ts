import samplerate from '@alexanderolsen/libsamplerate-js';

/**
 * Resamples one channel to `toRate` with libsamplerate's band-limited sinc converter (WebAssembly):
 * no aliasing when compressed audio recorded at 44.1 or 48 kHz comes down to a session's 16 kHz.
 */
export async function resample(
  channel: Float32Array,
  fromRate: number,
  toRate: number,
): Promise<Float32Array> {
  if (fromRate === toRate) return channel;
  const converter = await samplerate.create(1, fromRate, toRate, {
    converterType: samplerate.ConverterType.SRC_SINC_MEDIUM_QUALITY,
  });
  try {
    return converter.simple(channel);
  } finally {
    converter.destroy();
  }
}
