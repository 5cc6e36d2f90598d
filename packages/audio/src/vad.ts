export interface VoicedSpan {
  startMs: number;
  endMs: number;
}

export interface VadOptions {
  frameMs?: number;
  /** Frames quieter than this never count as voice, whatever the noise floor. */
  absoluteThresholdDb?: number;
  /** How far above the estimated noise floor a frame must be to count as voice. */
  marginDb?: number;
  /** Gaps shorter than this inside speech are bridged. */
  minGapMs?: number;
  /** Spans shorter than this are dropped as clicks. */
  minSpanMs?: number;
}

const DEFAULTS: Required<VadOptions> = {
  frameMs: 10,
  absoluteThresholdDb: -45,
  marginDb: 6,
  minGapMs: 60,
  minSpanMs: 60,
};

/**
 * Energy-based voice activity: frames whose RMS level clears both an absolute threshold and the
 * noise floor (the 10th percentile of frame levels) by a margin. Returns voiced spans in ms.
 * Tuned for the tone alphabet (steady tones, 10 ms frames), still holding at 10 dB SNR.
 */
export function detectVoiceActivity(
  samples: Float32Array,
  sampleRate: number,
  options: VadOptions = {},
): VoicedSpan[] {
  const o = { ...DEFAULTS, ...options };
  const frameLength = Math.max(1, Math.round((sampleRate * o.frameMs) / 1000));
  const frameCount = Math.floor(samples.length / frameLength);
  if (frameCount === 0) return [];
  const levels = new Float64Array(frameCount);
  for (let f = 0; f < frameCount; f++) {
    let sum = 0;
    for (let i = f * frameLength; i < (f + 1) * frameLength; i++) sum += samples[i]! * samples[i]!;
    levels[f] = 10 * Math.log10(sum / frameLength + 1e-12);
  }
  const sorted = Float64Array.from(levels).sort();
  const noiseFloor = sorted[Math.floor(sorted.length * 0.1)]!;
  const loud = sorted[Math.floor(sorted.length * 0.9)]!;
  // Audio that is voiced throughout has no quiet frames to learn the floor from: then anything
  // near the loud level counts.
  const threshold = Math.max(o.absoluteThresholdDb, Math.min(noiseFloor + o.marginDb, loud - o.marginDb));

  const spans: VoicedSpan[] = [];
  let start = -1;
  for (let f = 0; f <= frameCount; f++) {
    const voiced = f < frameCount && levels[f]! >= threshold;
    if (voiced && start < 0) start = f;
    if (!voiced && start >= 0) {
      spans.push({ startMs: start * o.frameMs, endMs: f * o.frameMs });
      start = -1;
    }
  }
  const merged: VoicedSpan[] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && span.startMs - last.endMs < o.minGapMs) last.endMs = span.endMs;
    else merged.push({ ...span });
  }
  return merged.filter((s) => s.endMs - s.startMs >= o.minSpanMs);
}
