/** What a meeting tells the bot, in the order it happens. Times are meeting ms (since its epoch). */
export type MeetingEvent =
  | { type: 'lobby' }
  /** In the meeting; `epochMs` is the wall-clock origin of the meeting times that follow. */
  | { type: 'admitted'; epochMs: number }
  | { type: 'denied' }
  | { type: 'removed' }
  | { type: 'ended' }
  /** How many other participants are in the meeting now. */
  | { type: 'participants'; count: number }
  /** PCM s16le mono at the sample rate asked for; `atMs` is when its first sample was heard. */
  | { type: 'audio'; pcm: Buffer; atMs: number }
  /** A caption line as shown now: who is speaking, since when, until when (observation times). */
  | { type: 'caption'; speaker: string; startMs: number; endMs: number; confidence: number }
  | { type: 'error'; message: string };

export interface JoinOptions {
  /** The meeting platform (selects the browser driver's adapter). */
  platform: string;
  botName: string;
  sampleRate: number;
  /** The meeting clock's origin from an earlier join (a rejoin hears the meeting from where it now is). */
  epochMs: number | null;
  signal: AbortSignal;
}

/** A joined meeting: its events until the bot leaves (or the signal aborts). */
export interface MeetingConnection {
  events(): AsyncIterable<MeetingEvent>;
  /** Leaves the meeting and releases what the driver holds (browser, timers). Safe to call twice. */
  leave(): Promise<void>;
}

/** One way of attending a meeting (a scripted simulation, a real browser). */
export interface MeetingDriver {
  readonly name: 'simulated' | 'browser';
  /** Whether this driver handles the URL. */
  handles(url: URL): boolean;
  /** Opens the meeting; throws when it cannot be opened. */
  join(url: URL, options: JoinOptions): Promise<MeetingConnection>;
}

/** A queue of events the driver pushes and the bot pulls, ending when closed. */
export class EventChannel<T> implements AsyncIterable<T> {
  private readonly buffered: T[] = [];
  private waiting?: (result: IteratorResult<T>) => void;
  private closed = false;

  push(event: T): void {
    if (this.closed) return;
    if (this.waiting) {
      const wake = this.waiting;
      this.waiting = undefined;
      wake({ value: event, done: false });
    } else this.buffered.push(event);
  }

  close(): void {
    this.closed = true;
    this.waiting?.({ value: undefined, done: true });
    this.waiting = undefined;
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        const event = this.buffered.shift();
        if (event !== undefined) return Promise.resolve({ value: event, done: false });
        if (this.closed) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (this.waiting = resolve));
      },
    };
  }
}
