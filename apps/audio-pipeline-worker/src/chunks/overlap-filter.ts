import type { TranscriptSegment } from '@livetranslate/contracts';

export interface ChunkWindow {
  start_ms: number;
  duration_ms: number;
  /** Repeated from the previous chunk at the start of this one. */
  overlap_ms?: number;
  /** To be repeated at the start of the next chunk. */
  trailing_overlap_ms?: number;
}

/**
 * Neighbouring chunks share their overlap; each word belongs to the chunk whose half of the overlap
 * holds its midpoint. A word cut by a chunk edge therefore counts once, from the chunk that heard it
 * whole. Segments are in absolute session time.
 */
export function ownedSegments(segments: TranscriptSegment[], chunk: ChunkWindow): TranscriptSegment[] {
  const from = chunk.start_ms + (chunk.overlap_ms ?? 0) / 2;
  const until = chunk.start_ms + chunk.duration_ms - (chunk.trailing_overlap_ms ?? 0) / 2;
  return segments.filter((segment) => {
    const middle = (segment.start_ms + segment.end_ms) / 2;
    return middle >= from && middle < until;
  });
}
