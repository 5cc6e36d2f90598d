import { readFile } from 'node:fs/promises';
import { decodeWav, encodePcmS16le, mixDown, synthesizeWords } from '@livetranslate/audio';
import {
  EventChannel,
  type JoinOptions,
  type MeetingConnection,
  type MeetingDriver,
  type MeetingEvent,
} from '../meeting-driver.js';
import { parseMeetingScript, type MeetingScript } from './meeting-script.js';

const FRAME_MS = 100;
const CAPTION_EVERY_MS = 300;

interface TimedTurn {
  speaker: string;
  startMs: number;
  endMs: number;
}

/** The meeting's whole soundtrack and who speaks when, laid out from its script. */
async function soundtrack(
  script: MeetingScript,
  rate: number,
): Promise<{ pcm: Float32Array; turns: TimedTurn[] }> {
  const speakers = [...new Set(script.turns.map((t) => t.speaker))];
  if (script.wav) {
    const audio = decodeWav(await readFile(script.wav));
    if (audio.sampleRate !== rate)
      throw new Error(`wav must be ${rate} Hz like the session (got ${audio.sampleRate})`);
    const pcm = mixDown(audio);
    return {
      pcm,
      turns: [{ speaker: speakers[0] ?? 'Speaker', startMs: 0, endMs: (pcm.length / rate) * 1000 }],
    };
  }
  const pieces: Float32Array[] = [];
  const turns: TimedTurn[] = [];
  let atMs = 0;
  for (const turn of script.turns) {
    const voice = speakers.indexOf(turn.speaker) % 2;
    const samples = synthesizeWords(
      turn.words.map((word) => ({ word, voice })),
      { sampleRate: rate, leadingSilenceMs: 100, trailingSilenceMs: 100 },
    );
    const ms = (samples.length / rate) * 1000;
    turns.push({ speaker: turn.speaker, startMs: atMs, endMs: atMs + ms });
    pieces.push(samples, new Float32Array(Math.round((script.gapMs * rate) / 1000)));
    atMs += ms + script.gapMs;
  }
  const pcm = new Float32Array(pieces.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const piece of pieces) {
    pcm.set(piece, offset);
    offset += piece.length;
  }
  return { pcm, turns };
}

/**
 * A scripted meeting (`sim://<meeting>?…`, see meeting-script.ts) played on the wall clock: lobby,
 * admission, speech with captions from named speakers, and whatever ending the URL asks for. A bot
 * that rejoins hears the meeting from where it now is.
 */
export class SimulatedDriver implements MeetingDriver {
  readonly name = 'simulated' as const;

  handles(url: URL): boolean {
    return url.protocol === 'sim:';
  }

  async join(url: URL, options: JoinOptions): Promise<MeetingConnection> {
    const script = parseMeetingScript(url);
    const { pcm, turns } = await soundtrack(script, options.sampleRate);
    const channel = new EventChannel<MeetingEvent>();
    const timers: NodeJS.Timeout[] = [];
    let left = false;
    const leave = async () => {
      left = true;
      // Timeouts and intervals share one id space in Node: clearTimeout clears both.
      for (const timer of timers) clearTimeout(timer);
      channel.close();
    };
    options.signal.addEventListener('abort', () => void leave(), { once: true });
    const at = (ms: number, fn: () => void) =>
      timers.push(
        setTimeout(
          () => {
            if (!left) fn();
          },
          Math.max(0, ms),
        ),
      );

    const admitted = () => {
      const epochMs = options.epochMs ?? Date.now();
      channel.push({ type: 'admitted', epochMs });
      channel.push({ type: 'participants', count: new Set(turns.map((t) => t.speaker)).size });
      this.play(script, pcm, turns, epochMs, options.sampleRate, channel, at, timers, () => left);
    };
    if (script.lobbyMs === 0 && script.admit === 'yes') {
      admitted();
    } else {
      channel.push({ type: 'lobby' });
      if (script.admit === 'yes') at(script.lobbyMs, admitted);
      else if (script.admit === 'no') at(script.lobbyMs, () => channel.push({ type: 'denied' }));
    }
    return { events: () => channel, leave };
  }

  private play(
    script: MeetingScript,
    pcm: Float32Array,
    turns: TimedTurn[],
    epochMs: number,
    rate: number,
    channel: EventChannel<MeetingEvent>,
    at: (ms: number, fn: () => void) => void,
    timers: NodeJS.Timeout[],
    hasLeft: () => boolean,
  ): void {
    const now = () => Date.now() - epochMs;
    const scriptEnd = turns.length ? turns[turns.length - 1]!.endMs + script.gapMs : 0;
    const endAt = script.endAfterMs === 'script' ? scriptEnd : script.endAfterMs;
    if (endAt !== 'never') at(endAt - now(), () => channel.push({ type: 'ended' }));
    if (script.removeAfterMs !== null)
      at(script.removeAfterMs - now(), () => channel.push({ type: 'removed' }));
    if (script.aloneAfterMs !== null) {
      at(script.aloneAfterMs - now(), () => channel.push({ type: 'participants', count: 0 }));
    }

    // Audio: from where the meeting now is, one frame per tick, silence once the script is over.
    let heardMs = Math.max(0, now());
    const toSample = (ms: number) => Math.round((ms * rate) / 1000);
    const audio = setInterval(() => {
      if (hasLeft()) return;
      const until = now();
      if (script.silentAfterMs !== null && until >= script.silentAfterMs) return;
      if (until - heardMs < FRAME_MS) return;
      const slice = new Float32Array(toSample(until - heardMs));
      const from = toSample(heardMs);
      if (from < pcm.length) slice.set(pcm.subarray(from, Math.min(pcm.length, from + slice.length)));
      channel.push({ type: 'audio', pcm: encodePcmS16le(slice), atMs: heardMs });
      heardMs += (slice.length / rate) * 1000;
    }, FRAME_MS / 2);
    timers.push(audio);

    // Captions: the line of whoever speaks, growing as they speak, shown `captionDelayMs` late.
    const captions = setInterval(() => {
      if (hasLeft()) return;
      const seen = now() - script.captionDelayMs;
      for (const turn of turns) {
        if (turn.startMs > seen || turn.endMs + CAPTION_EVERY_MS < seen) continue;
        channel.push({
          type: 'caption',
          speaker: turn.speaker,
          startMs: turn.startMs + script.captionDelayMs,
          endMs: Math.min(turn.endMs, seen) + script.captionDelayMs,
          confidence: 0.95,
        });
      }
    }, CAPTION_EVERY_MS);
    timers.push(captions);
  }
}
