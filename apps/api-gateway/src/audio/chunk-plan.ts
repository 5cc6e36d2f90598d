export interface ChunkWindow {
  /** In samples (frames) of the source audio. */
  start: number;
  end: number;
  /** Frames repeated from the previous window / to be repeated by the next. */
  overlap: number;
  trailingOverlap: number;
}

/**
 * Windows for cutting a whole recording into chunks of `chunk` frames that overlap by `overlap`,
 * the same shape ChunkAssembler produces for a live stream.
 */
export function planChunks(total: number, chunk: number, overlap: number): ChunkWindow[] {
  if (total <= 0) return [];
  const stride = Math.max(1, chunk - overlap);
  const windows: ChunkWindow[] = [];
  for (let start = 0; ; start += stride) {
    const end = Math.min(start + chunk, total);
    windows.push({ start, end, overlap: start === 0 ? 0 : overlap, trailingOverlap: 0 });
    if (end >= total) break;
  }
  for (let i = 0; i < windows.length - 1; i++) windows[i]!.trailingOverlap = overlap;
  return windows;
}
