import {
  browserSocket,
  EVENT_TYPES,
  GatewayClient,
  GatewayError,
  type SessionConnection,
  type SessionEvent,
} from '@livetranslate/contracts/browser';
import { Captions } from './captions.js';
import { startCapture, type Capture } from './capture.js';

const KEY_STORAGE = 'livetranslate-api-key';
const RATE = 16_000;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const show = (id: string, visible = true) => ($(id).hidden = !visible);

function status(text: string): void {
  $('status').textContent = text;
}

function fail(error: unknown): void {
  const message =
    error instanceof GatewayError
      ? `${error.status} ${error.code}: ${error.message}`
      : String((error as Error)?.message ?? error);
  $('error').textContent = message;
  show('error');
}

function clientFor(apiKey: string): GatewayClient {
  return new GatewayClient({ baseUrl: location.origin, apiKey, socket: browserSocket });
}

/** The page's state for one session: its captions, and the last log id shown (what a resume starts after). */
class LiveView {
  lastEventId: string | undefined;
  readonly captions: Captions;
  completed = false;

  constructor(
    readonly client: GatewayClient,
    readonly sessionId: string,
    languages: string[],
  ) {
    this.captions = new Captions($('captions') as HTMLTableElement, languages);
    const share = $('share') as HTMLAnchorElement;
    share.href = `/live/${sessionId}`;
    share.textContent = `${location.origin}/live/${sessionId}`;
    show('start', false);
    show('live');
  }

  take(event: SessionEvent): void {
    if (event.id) this.lastEventId = event.id; // drafts have none: they are never resumed from
    this.captions.add(event);
    if (event.event_type === EVENT_TYPES.SessionEnded) status('Input ended; the last results are coming…');
    if (event.event_type === EVENT_TYPES.SessionCompleted) {
      this.completed = true;
      status('Session complete.');
    }
  }
}

/**
 * Speaking: the microphone's PCM goes over the session WebSocket. Audio the gateway has not yet
 * stored (acknowledged by `chunk_accepted`) is kept; when the connection is lost, a new one resumes
 * the events after the last one shown and sends again the audio after what the session stored.
 */
class Speaker {
  private connection!: SessionConnection;
  /** PCM not yet known to be stored, with the session time (in samples) where it starts. */
  private retained: Array<{ at: number; pcm: Int16Array }> = [];
  private sentSamples = 0;
  private capture?: Capture;
  private connected = false;
  private stopping = false;

  constructor(private readonly view: LiveView) {}

  async start(): Promise<void> {
    this.open();
    this.capture = await startCapture(RATE, (pcm) => this.onFrame(pcm));
    status('Listening… speak now.');
    show('stop');
  }

  /** Ends the input; results keep coming until the session completes (then the server closes with 1000). */
  async stop(): Promise<void> {
    this.stopping = true;
    show('stop', false);
    await this.capture?.stop();
    if (this.connected) this.connection.end();
    status('Input ended; the last results are coming…');
  }

  /** Drops the connection as a network failure would (for demos and tests of the resume). */
  drop(): void {
    this.connection.drop();
  }

  private onFrame(pcm: Int16Array): void {
    const frame = { at: this.sentSamples, pcm };
    this.sentSamples += pcm.length;
    this.retained.push(frame);
    if (this.connected) this.connection.sendAudio(bytesOf(pcm));
  }

  private open(): void {
    const connection = this.view.client.connect(this.view.sessionId, {
      ...(this.view.lastEventId ? { lastEventId: this.view.lastEventId } : {}),
    });
    this.connection = connection;
    connection.onAccepted(({ endMs }) => this.forget(endMs));
    void connection.session.then((session) => {
      // Send again what was lost with the last connection: everything after what the session stored.
      this.forget(session.audio_ms);
      this.connected = true;
      for (const frame of this.retained) connection.sendAudio(bytesOf(frame.pcm));
      if (this.stopping) connection.end();
    });
    void (async () => {
      for await (const event of connection.events()) this.view.take(event);
      this.connected = false;
      const closed = connection.closedWith;
      if (this.view.completed || closed?.code === 1000) return;
      status('Connection lost; reconnecting…');
      setTimeout(() => this.open(), 300);
    })();
  }

  /** Audio up to `endMs` of the session is stored: it is never sent again. */
  private forget(endMs: number): void {
    const stored = Math.round((endMs * RATE) / 1000);
    this.retained = this.retained
      .filter((f) => f.at + f.pcm.length > stored)
      .map((f) => (f.at >= stored ? f : { at: stored, pcm: f.pcm.subarray(stored - f.at) }));
  }
}

function bytesOf(pcm: Int16Array): Uint8Array {
  return new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
}

/** Watching: the session's events over SSE (the SDK reconnects and resumes by itself). */
async function watch(client: GatewayClient, sessionId: string): Promise<LiveView> {
  const session = await client.getSession(sessionId);
  const view = new LiveView(client, sessionId, session.options.target_languages);
  status(session.state === 'open' ? 'Live…' : 'Replaying…');
  void (async () => {
    try {
      for await (const event of client.events(sessionId)) view.take(event);
    } catch (error) {
      fail(error);
    }
  })();
  return view;
}

async function speak(client: GatewayClient): Promise<void> {
  const languages = [...document.querySelectorAll<HTMLInputElement>('#languages input:checked')].map(
    (i) => i.value,
  );
  const session = await client.createSession({ target_languages: languages, sample_rate: RATE });
  history.replaceState(null, '', `/live/${session.session_id}`);
  const speaker = new Speaker(new LiveView(client, session.session_id, languages));
  (window as unknown as { liveTranslate: unknown }).liveTranslate = {
    sessionId: session.session_id,
    drop: () => speaker.drop(),
  };
  $('stop').onclick = () => void speaker.stop().catch(fail);
  await speaker.start();
}

async function showStart(client: GatewayClient): Promise<void> {
  const { languages } = await client.languages();
  const fieldset = $('languages');
  for (const language of languages) {
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.value = language.code;
    label.append(box, ` ${language.name} `);
    fieldset.append(label);
  }
  show('start');
  $('speak').onclick = () => void speak(client).catch(fail);
  ($('watch-form') as HTMLFormElement).onsubmit = (event) => {
    event.preventDefault();
    location.assign(`/live/${($('watch-id') as HTMLInputElement).value.trim()}`);
  };
}

async function main(apiKey: string): Promise<void> {
  const client = clientFor(apiKey);
  $('who').textContent = 'key set';
  show('who');
  const live = /^\/live\/([0-9a-f-]{36})$/.exec(location.pathname);
  if (live) await watch(client, live[1]!);
  else await showStart(client);
}

const stored = sessionStorage.getItem(KEY_STORAGE);
if (stored) void main(stored).catch(fail);
else {
  show('key-form');
  ($('key-form') as HTMLFormElement).onsubmit = (event) => {
    event.preventDefault();
    const key = ($('key') as HTMLInputElement).value.trim();
    sessionStorage.setItem(KEY_STORAGE, key);
    show('key-form', false);
    void main(key).catch(fail);
  };
}
