/** A speaker's caption line as the page shows it, and since when (page clock, ms since the epoch). */
export interface WatchedCaption {
  speaker: string;
  text: string;
  since: number;
  /** When the line went away or the speaker's next turn replaced it; absent while it is shown. */
  until?: number;
}

/** What a poll collects: the lines shown now, and the turns that ended since the last poll. */
export interface CaptionsSeen {
  shown: WatchedCaption[];
  ended: WatchedCaption[];
}

/**
 * Runs in the meeting page before its own scripts: on every DOM change, reads the caption lines
 * (with the platform adapter's `read`) and notes when each speaker's line appeared and when it
 * went — a line that stays and grows (its first characters unchanged) is the same turn. A turn then
 * starts and ends when its caption did, on the clock the audio capture stamps its audio with, not
 * when the bot's polls happened to look (250 ms apart at best, seconds on a starved machine, and the
 * words at a change of speaker went to whichever turn the polls' timing favoured). Self-contained:
 * it is serialised into the page, and `read` with it.
 */
export function installCaptionWatch(read: () => Array<{ speaker: string; text: string }>): void {
  type Win = Window & { __ltCaptions?: CaptionsSeen };
  const win = window as Win;
  if (win.__ltCaptions) return;
  const seen: CaptionsSeen = { shown: [], ended: [] };
  win.__ltCaptions = seen;
  const update = () => {
    const now = Date.now();
    const before = new Map(seen.shown.map((line) => [line.speaker, line]));
    const continued = new Set<WatchedCaption>();
    seen.shown = read()
      .filter((line) => line.speaker && line.text)
      .map((line) => {
        const last = before.get(line.speaker);
        if (last && line.text.startsWith(last.text.slice(0, Math.min(last.text.length, 12)))) {
          continued.add(last);
          return { ...last, text: line.text };
        }
        return { speaker: line.speaker, text: line.text, since: now };
      });
    for (const line of before.values()) if (!continued.has(line)) seen.ended.push({ ...line, until: now });
  };
  new MutationObserver(update).observe(document, { childList: true, subtree: true, characterData: true });
}

/** In the page: the lines shown now, and the turns that ended since the last call (handed over once). */
export function takeWatchedCaptions(): CaptionsSeen {
  const seen = (window as Window & { __ltCaptions?: CaptionsSeen }).__ltCaptions;
  if (!seen) return { shown: [], ended: [] };
  return { shown: seen.shown, ended: seen.ended.splice(0) };
}

/** The init script that installs the watch with a platform's caption reader. */
export function captionWatchScript(read: () => Array<{ speaker: string; text: string }>): string {
  return `(${installCaptionWatch.toString()})(${read.toString()});`;
}
