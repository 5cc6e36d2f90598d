import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CLOSED_NETWORK_CHROMIUM_FLAGS } from '@livetranslate/service-kit';
import {
  EventChannel,
  type JoinOptions,
  type MeetingConnection,
  type MeetingDriver,
  type MeetingEvent,
} from '../meeting-driver.js';
import { installAudioCapture } from './page-audio-capture.js';
import { captionWatchScript, takeWatchedCaptions } from './page-caption-watch.js';
import { PLATFORM_ADAPTERS, type PageState, type PlatformAdapter } from './platform-adapter.js';

/** Audio kept from before the call was noticed: more than a poll late on the busiest machine. */
const EARLY_AUDIO_MS = 5_000;

export interface BrowserDriverSettings {
  /** The Chromium binary (Debian's `chromium`). */
  executablePath: string;
  /** For meeting pages with a self-signed certificate (tests). Never in production. */
  ignoreHttpsErrors: boolean;
  /** How often the page is read. */
  pollMs?: number;
  /** How long the page may take to show its join form, lobby or call. */
  loadTimeoutMs?: number;
}

/** The closed network's flags, and the page may play audio and open media without a person. */
export const CHROMIUM_FLAGS = [
  ...CLOSED_NETWORK_CHROMIUM_FLAGS,
  '--autoplay-policy=no-user-gesture-required',
  '--use-fake-ui-for-media-stream',
];

/**
 * Attends a real meeting page in headless Chromium (playwright-core, the system's Chromium): fills
 * in the bot's name, waits in the lobby, notices admission, removal and the end of the call, hears
 * the page's audio through WebAudio, and reads the captions with their speakers. Platform specifics
 * live in a PlatformAdapter.
 */
export class BrowserDriver implements MeetingDriver {
  readonly name = 'browser' as const;

  constructor(private readonly settings: BrowserDriverSettings) {}

  handles(url: URL): boolean {
    return url.protocol === 'https:';
  }

  async join(url: URL, options: JoinOptions): Promise<MeetingConnection> {
    const adapter = PLATFORM_ADAPTERS[options.platform];
    if (!adapter) throw new Error(`no browser adapter for platform "${options.platform}"`);
    const browser = await chromium.launch({
      executablePath: resolveExecutable(this.settings.executablePath),
      headless: true,
      args: CHROMIUM_FLAGS,
    });
    try {
      const context = await browser.newContext({ ignoreHTTPSErrors: this.settings.ignoreHttpsErrors });
      const page = await context.newPage();
      return await this.attend(browser, page, adapter, url, options);
    } catch (error) {
      await browser.close().catch(() => undefined);
      throw error;
    }
  }

  private async attend(
    browser: Browser,
    page: Page,
    adapter: PlatformAdapter,
    url: URL,
    options: JoinOptions,
  ): Promise<MeetingConnection> {
    const channel = new EventChannel<MeetingEvent>();
    let epochMs: number | null = null;
    // Audio the page plays before the poll notices the call began (up to one poll late, more on a
    // busy machine) is the meeting's first words: kept, and sent once the call is known.
    const early: Array<{ pcm: Buffer; capturedAt: number }> = [];
    const sendAudio = (pcm: Buffer, capturedAt: number, epoch: number) =>
      channel.push({ type: 'audio', pcm, atMs: Math.max(0, capturedAt - epoch) });
    await page.exposeFunction('ltAudio', (b64: string, capturedAt: number) => {
      const pcm = Buffer.from(b64, 'base64');
      if (epochMs !== null) return sendAudio(pcm, capturedAt, epochMs);
      early.push({ pcm, capturedAt });
      while (early.length && early[0]!.capturedAt < capturedAt - EARLY_AUDIO_MS) early.shift();
    });
    await page.addInitScript(installAudioCapture, options.sampleRate);
    await page.addInitScript({ content: captionWatchScript(adapter.readCaptions) });
    await page.goto(url.toString(), {
      waitUntil: 'domcontentloaded',
      timeout: this.settings.loadTimeoutMs ?? 30_000,
    });

    let closed = false;
    let joinedForm = false;
    let phase: PageState['phase'] = 'unknown';
    let participants: number | null = null;
    const loadDeadline = Date.now() + (this.settings.loadTimeoutMs ?? 30_000);

    const poll = async () => {
      const state = await page.evaluate(adapter.readState);
      const now = Date.now();
      if (state.phase === 'prejoin' && !joinedForm)
        joinedForm = await page.evaluate(adapter.join, options.botName);
      if (state.phase !== phase) {
        phase = state.phase;
        if (phase === 'lobby') channel.push({ type: 'lobby' });
        if (phase === 'in_call' && epochMs === null) {
          const epoch = options.epochMs ?? Math.min(now, early[0]?.capturedAt ?? now);
          epochMs = epoch;
          channel.push({ type: 'admitted', epochMs: epoch });
          for (const chunk of early.splice(0)) sendAudio(chunk.pcm, chunk.capturedAt, epoch);
        }
        if (phase === 'denied') channel.push({ type: 'denied' });
        if (phase === 'removed') channel.push({ type: 'removed' });
        if (phase === 'ended') channel.push({ type: 'ended' });
      }
      if (phase === 'unknown' && epochMs === null && now > loadDeadline) {
        channel.push({ type: 'error', message: 'the meeting page showed no join form, lobby or call' });
      }
      if (epochMs === null) return;
      if (state.participants !== null && state.participants !== participants) {
        participants = state.participants;
        channel.push({ type: 'participants', count: participants });
      }
      // A turn lasts from when its line appeared to when it went (the page's clock, as the audio's),
      // or to now while it is shown; the timeline merges the reports of one turn by its start.
      // Taken only once the call is known, so turns that ended before it are not lost.
      const captions = await page.evaluate(takeWatchedCaptions);
      for (const line of [...captions.ended, ...captions.shown]) {
        channel.push({
          type: 'caption',
          speaker: line.speaker,
          startMs: Math.max(0, Math.min(line.since, now) - epochMs),
          endMs: Math.max(0, Math.min(line.until ?? now, now) - epochMs),
          confidence: 0.9,
        });
      }
    };

    const timer = setInterval(() => {
      if (closed) return;
      poll().catch((error: Error) => {
        if (!closed)
          channel.push({ type: 'error', message: `reading the meeting page failed: ${error.message}` });
      });
    }, this.settings.pollMs ?? 250);

    const leave = async () => {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      channel.close();
      await page
        .locator('button[aria-label="Leave call"]')
        .click({ timeout: 1_000 })
        .catch(() => undefined);
      await browser.close().catch(() => undefined);
    };
    options.signal.addEventListener('abort', () => void leave(), { once: true });
    return { events: () => channel, leave };
  }
}

/** A binary named without a path is looked up on PATH, as a shell would. */
export function resolveExecutable(name: string, path = process.env.PATH ?? ''): string {
  if (isAbsolute(name)) return name;
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new Error(`${name} was not found on PATH (install Debian's chromium, or set CHROMIUM_PATH)`);
}
