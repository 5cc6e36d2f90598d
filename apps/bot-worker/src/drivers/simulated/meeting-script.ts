import { TONE_WORDS, isToneWord, type ToneWord } from '@livetranslate/audio';

/** One turn of a simulated meeting: a participant saying some tone-coded words. */
export interface ScriptTurn {
  speaker: string;
  words: ToneWord[];
}

/**
 * A simulated meeting, read from its `sim://<meeting>?…` URL. Every knob is a query parameter, so a
 * test (or a person trying the bot) describes the meeting in the URL itself.
 */
export interface MeetingScript {
  meeting: string;
  turns: ScriptTurn[];
  /** Silence between turns. */
  gapMs: number;
  /** Time in the lobby before the host decides (0: straight in, no lobby). */
  lobbyMs: number;
  /** What the host does with the bot in the lobby. */
  admit: 'yes' | 'no' | 'never';
  /** After admission: the host removes the bot. */
  removeAfterMs: number | null;
  /** After admission: the meeting ends (default: a gap after the last turn; `never` runs on in silence). */
  endAfterMs: number | 'script' | 'never';
  /** After admission: audio stops reaching the bot. */
  silentAfterMs: number | null;
  /** After admission: every other participant leaves. */
  aloneAfterMs: number | null;
  /** How late captions show up after the words are spoken. */
  captionDelayMs: number;
  /** A WAV on the worker's disk to play instead of generated speech (spoken by the first speaker). */
  wav: string | null;
}

export class MeetingScriptError extends Error {}

const DEFAULT_WORDS: ToneWord[] = ['hello', 'friend', 'good', 'morning', 'thank', 'you', 'water', 'please'];

function number(params: URLSearchParams, name: string, fallback: number | null): number | null {
  const raw = params.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0)
    throw new MeetingScriptError(`${name} must be a number of ms ≥ 0 (got "${raw}")`);
  return n;
}

/** Reads a `sim://` URL; throws MeetingScriptError naming the bad parameter. */
export function parseMeetingScript(url: URL): MeetingScript {
  if (url.protocol !== 'sim:') throw new MeetingScriptError(`not a simulated meeting: ${url.protocol}`);
  const params = url.searchParams;
  const speakers = (params.get('speakers') ?? 'Alice,Bob')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (speakers.length === 0) throw new MeetingScriptError('speakers must name at least one participant');
  const turns: ScriptTurn[] = [];
  const words = params.get('words');
  if (words) {
    words.split('|').forEach((turn, i) => {
      const list = turn.split(/[\s+]+/).filter(Boolean);
      const unknown = list.filter((w) => !isToneWord(w));
      if (unknown.length) {
        throw new MeetingScriptError(
          `words not in the tone alphabet: ${unknown.join(', ')} (known: ${TONE_WORDS.join(' ')})`,
        );
      }
      turns.push({ speaker: speakers[i % speakers.length]!, words: list as ToneWord[] });
    });
  } else {
    const count = number(params, 'turns', 2)!;
    for (let i = 0; i < count; i++) {
      turns.push({
        speaker: speakers[i % speakers.length]!,
        words: DEFAULT_WORDS.slice((i * 4) % DEFAULT_WORDS.length, ((i * 4) % DEFAULT_WORDS.length) + 4),
      });
    }
  }
  const admit = params.get('admit') ?? 'yes';
  if (admit !== 'yes' && admit !== 'no' && admit !== 'never') {
    throw new MeetingScriptError(`admit must be yes, no or never (got "${admit}")`);
  }
  const end = params.get('end');
  return {
    meeting: url.hostname || 'meeting',
    turns,
    gapMs: number(params, 'gap_ms', 600)!,
    lobbyMs: number(params, 'lobby_ms', 500)!,
    admit,
    removeAfterMs: number(params, 'remove_after_ms', null),
    endAfterMs:
      end === null || end === 'script' ? 'script' : end === 'never' ? 'never' : number(params, 'end', 0)!,
    silentAfterMs: number(params, 'silent_after_ms', null),
    aloneAfterMs: number(params, 'alone_after_ms', null),
    captionDelayMs: number(params, 'caption_delay_ms', 500)!,
    wav: params.get('wav'),
  };
}
