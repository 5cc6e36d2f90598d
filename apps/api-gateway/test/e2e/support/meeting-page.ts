import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { encodeWav, synthesizeWords, type ToneWord } from '@livetranslate/audio';
import { selfSignedCert } from './tls.js';

export interface PageTurn {
  speaker: string;
  words: ToneWord[];
}

interface TimedTurn {
  speaker: string;
  startMs: number;
  endMs: number;
  text: string;
}

/**
 * A meeting page on localhost shaped like Google Meet's join flow (the labels and texts the
 * google_meet adapter reads), over HTTPS with a throwaway self-signed certificate: a name field and
 * "Ask to join", a lobby, a host page with Admit and Remove buttons, and, once admitted, an audio
 * element playing a known WAV with a captions region naming who speaks.
 */
export class MeetingPage {
  private server!: Server;
  private phase: 'lobby' | 'in_call' | 'removed' | 'none' = 'none';
  readonly joined: string[] = [];
  private wav!: Buffer;
  private turns: TimedTurn[] = [];

  static async start(turns: PageTurn[], rate = 16_000): Promise<MeetingPage> {
    const page = new MeetingPage();
    const speakers = [...new Set(turns.map((t) => t.speaker))];
    const pieces: Float32Array[] = [];
    let atMs = 0;
    for (const turn of turns) {
      const samples = synthesizeWords(
        turn.words.map((word) => ({ word, voice: speakers.indexOf(turn.speaker) % 2 })),
        { sampleRate: rate, leadingSilenceMs: 300, trailingSilenceMs: 300 },
      );
      const ms = (samples.length / rate) * 1000;
      page.turns.push({ speaker: turn.speaker, startMs: atMs, endMs: atMs + ms, text: turn.words.join(' ') });
      pieces.push(samples);
      atMs += ms;
    }
    const all = new Float32Array(pieces.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const piece of pieces) {
      all.set(piece, offset);
      offset += piece.length;
    }
    page.wav = encodeWav([all], rate);
    const tls = selfSignedCert('meeting');
    page.server = createServer(
      { key: readFileSync(tls.key), cert: readFileSync(tls.cert) },
      (request, response) => page.handle(request.method ?? 'GET', request.url ?? '/', response, request),
    );
    await new Promise<void>((resolve) => page.server.listen(0, '127.0.0.1', resolve));
    return page;
  }

  get url(): string {
    return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get meetingUrl(): string {
    return `${this.url}/abc-defg-hij`;
  }

  get hostUrl(): string {
    return `${this.url}/host`;
  }

  /** What the host's Admit button does. */
  admit(): void {
    this.phase = 'in_call';
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private handle(
    method: string,
    url: string,
    response: import('node:http').ServerResponse,
    request: import('node:http').IncomingMessage,
  ): void {
    const send = (status: number, type: string, body: string | Buffer) => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(body);
    };
    const path = url.split('?')[0];
    if (method === 'GET' && path === '/abc-defg-hij') return send(200, 'text/html', MEETING_HTML);
    if (method === 'GET' && path === '/host') return send(200, 'text/html', HOST_HTML);
    if (method === 'GET' && path === '/speech.wav') return send(200, 'audio/wav', this.wav);
    if (method === 'GET' && path === '/api/state') {
      return send(
        200,
        'application/json',
        JSON.stringify({ phase: this.phase, joined: this.joined, turns: this.turns }),
      );
    }
    if (method === 'POST' && path === '/api/join') {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        this.joined.push((JSON.parse(body || '{}') as { name?: string }).name ?? '');
        this.phase = 'lobby';
        send(200, 'application/json', '{}');
      });
      return;
    }
    if (method === 'POST' && path === '/api/admit') {
      this.phase = 'in_call';
      return send(200, 'application/json', '{}');
    }
    if (method === 'POST' && path === '/api/remove') {
      this.phase = 'removed';
      return send(200, 'application/json', '{}');
    }
    send(404, 'text/plain', 'not found');
  }
}

const MEETING_HTML = `<!doctype html>
<html><head><title>Meet</title></head><body>
<div id="app">
  <input aria-label="Your name" value="">
  <button id="ask">Ask to join</button>
</div>
<script>
const app = document.getElementById('app');
let shown = 'prejoin';
document.getElementById('ask').addEventListener('click', async () => {
  const name = document.querySelector('input[aria-label="Your name"]').value;
  await fetch('/api/join', { method: 'POST', body: JSON.stringify({ name }) });
});
function render(state) {
  if (state.phase === shown) return;
  if (state.phase === 'lobby') app.innerHTML = '<p>Asking to be let in…</p>';
  if (state.phase === 'in_call') {
    app.innerHTML = '<button aria-label="Leave call">Leave</button>' +
      '<div data-participant-count="3">3 people</div>' +
      '<audio id="speech" src="/speech.wav" autoplay></audio>' +
      '<div aria-label="Captions"></div>';
    window.turns = state.turns;
    setInterval(captions, 150);
  }
  if (state.phase === 'removed') app.innerHTML = "<p>You've been removed from the meeting</p>";
  shown = state.phase;
}
function captions() {
  const audio = document.getElementById('speech');
  const region = document.querySelector('[aria-label="Captions"]');
  if (!audio || !region) return;
  const now = audio.currentTime * 1000;
  const turn = window.turns.find((t) => t.startMs <= now && now < t.endMs + 400);
  if (!turn) { region.innerHTML = ''; return; }
  const words = turn.text.split(' ');
  const spoken = Math.max(1, Math.ceil(((now - turn.startMs) / (turn.endMs - turn.startMs)) * words.length));
  region.innerHTML = '<div data-caption><span data-caption-speaker>' + turn.speaker +
    '</span>: <span data-caption-text>' + words.slice(0, spoken).join(' ') + '</span></div>';
}
setInterval(async () => render(await (await fetch('/api/state')).json()), 150);
</script></body></html>`;

const HOST_HTML = `<!doctype html>
<html><head><title>Host</title></head><body>
<p id="waiting"></p>
<button id="admit">Admit</button>
<button id="remove">Remove</button>
<script>
document.getElementById('admit').onclick = () => fetch('/api/admit', { method: 'POST' });
document.getElementById('remove').onclick = () => fetch('/api/remove', { method: 'POST' });
setInterval(async () => {
  const state = await (await fetch('/api/state')).json();
  document.getElementById('waiting').textContent = state.joined.join(', ') + ' ' + state.phase;
}, 150);
</script></body></html>`;
