import type { SpeakerTurn, TranscriptSegment } from '@livetranslate/contracts';

/** The original system's rules for naming speakers from meeting captions. */
export const SPEAKER_NAMING = {
  /** Captions appear this long after the words: turns are shifted back by it. */
  audioDelayCompensationMs: 500,
  /** A segment no turn overlaps takes the nearest turn within this gap. */
  toleranceMs: 2_000,
  /** Turns reported with less confidence are ignored. */
  minConfidence: 0.7,
} as const;

/**
 * Names each segment's speaker from the chunk's caption turns: the turn overlapping the segment
 * most (after compensating the captions' delay), else the nearest within the tolerance. A caption
 * name wins over the model's anonymous diarization label; segments no turn explains keep theirs.
 */
export function nameSpeakers(
  segments: readonly TranscriptSegment[],
  turns: readonly SpeakerTurn[] | undefined,
  rules: typeof SPEAKER_NAMING = SPEAKER_NAMING,
): TranscriptSegment[] {
  const usable = (turns ?? [])
    .filter((t) => t.confidence >= rules.minConfidence)
    .map((t) => ({
      name: t.name,
      start: t.start_ms - rules.audioDelayCompensationMs,
      end: t.end_ms - rules.audioDelayCompensationMs,
    }));
  if (usable.length === 0) return [...segments];
  return segments.map((segment) => {
    let best: { name: string; score: number } | undefined;
    for (const turn of usable) {
      const overlap = Math.min(segment.end_ms, turn.end) - Math.max(segment.start_ms, turn.start);
      // Overlaps score positive; gaps score by how close they are, within the tolerance.
      const score = overlap > 0 ? overlap : overlap >= -rules.toleranceMs ? overlap - 1 : -Infinity;
      if (score > -Infinity && (!best || score > best.score)) best = { name: turn.name, score };
    }
    return best ? { ...segment, speaker: best.name } : { ...segment };
  });
}
