/**
 * Power of one frequency in a block of samples (Goertzel), normalised so a full-scale sine at
 * exactly that frequency scores about 1 relative to the block's total energy.
 */
export function goertzelPower(
  samples: Float32Array,
  start: number,
  end: number,
  frequency: number,
  sampleRate: number,
) {
  const n = end - start;
  const coefficient = 2 * Math.cos((2 * Math.PI * frequency) / sampleRate);
  let s1 = 0;
  let s2 = 0;
  for (let i = start; i < end; i++) {
    const s0 = samples[i]! + coefficient * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
  return power / ((n * n) / 4);
}

export function blockEnergy(samples: Float32Array, start: number, end: number): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum += samples[i]! * samples[i]!;
  return sum / (end - start) / 0.5; // a full-scale sine has mean square 0.5
}
