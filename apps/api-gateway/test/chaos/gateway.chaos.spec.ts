import { GatewayClient } from '@livetranslate/contracts';
import { frames, SENTENCE, speechPcm, speechWav } from '../e2e/support/audio-fixtures.js';
import { runLt, wavFile } from '../e2e/support/cli.js';
import { collectUntilComplete, Stack, TENANT_A_KEY } from '../e2e/support/stack.js';
import { FULL, record } from './support/figures.js';
import { deadLettered, duplicatedResults } from './support/load.js';

/** `lt stream` as a user runs it, given both replicas; resolves its exit code and output. */
async function cliStream(urls: string[], wav: Buffer): Promise<{ code: number | null; output: string }> {
  return runLt(['stream', await wavFile(wav)], { urls, key: TENANT_A_KEY });
}

describe('fault suite: a gateway replica killed while clients stream', () => {
  let stack: Stack | undefined;
  afterAll(() => stack?.stop());

  it('clients resume on the other replica and resend what was not stored: no word lost or repeated', async () => {
    stack = await Stack.start({ gateways: 2, workers: 2 });
    const [doomed, survivor] = stack.gateways as [(typeof stack.gateways)[0], (typeof stack.gateways)[0]];
    const words = [...SENTENCE, ...SENTENCE]; // 12.4 s at real-time pace
    const clients = FULL ? 8 : 3;
    const reconnects: Array<{ url: string; resentMs: number }> = [];
    const sessions: string[] = [];
    const runs = Array.from({ length: clients }, async () => {
      const client = new GatewayClient({
        baseUrl: doomed.url,
        fallbackUrls: [survivor.url],
        apiKey: TENANT_A_KEY,
      });
      // Overlap and chunk cuts fall inside words, so a resumed stream must repeat the overlap too.
      const session = await client.createSession({
        target_languages: ['es'],
        chunk_ms: 1000,
        overlap_ms: 400,
      });
      sessions.push(session.session_id);
      const connection = await client.streamAudio(session.session_id, frames(speechPcm(words)), {
        paced: true,
        end: true,
        onReconnect: (info) => reconnects.push(info),
      });
      const events = await collectUntilComplete(connection.events(), ['es'], 120_000);
      connection.close();
      const transcript = await stack!.client(1).transcript(session.session_id);
      return { id: session.session_id, events, transcript };
    });
    // The CLI streams too, at real-time pace with the gateway's default chunks.
    const cli = cliStream([doomed.url, survivor.url], speechWav(words));
    // Chunks of 1 s repeating 400 ms end at 1000, 1600 … 4000, 4600 ms; the eighth word runs from
    // 3700 to 4000 ms, so its midpoint lies in the last 200 ms of the chunk ending at 4000: that
    // chunk leaves it to the next one, which repeats the overlap. The replica dies after storing the
    // chunk and 300 ms into the next: the next replica must repeat the overlap (or the word is lost)
    // and the client resend what was only buffered.
    for (;;) {
      const info = sessions[0] ? await stack.client(1).getSession(sessions[0]) : undefined;
      if ((info?.audio_ms ?? 0) >= 4_000) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    await doomed.stop('SIGKILL');
    const results = await Promise.all(runs);
    const lt = await cli;
    expect(lt).toMatchObject({ code: 0 });
    expect(lt.output).toContain(`continued on ${survivor.url}`);
    expect(lt.output).toContain(`transcript (en): ${words.join(' ')}\n`);

    let sent = 0;
    let transcribed = 0;
    let failed = 0;
    let duplicated = 0;
    let wordsLost = 0;
    let wordsRepeated = 0;
    for (const { events, transcript } of results) {
      const total = (events.find((e) => e.event_type === 'SessionEnded')!.payload as { total_chunks: number })
        .total_chunks;
      sent += total;
      transcribed += transcript.chunks.transcribed;
      failed += transcript.chunks.failed;
      duplicated += duplicatedResults(events);
      const heard = transcript.text.split(/\s+/).filter(Boolean);
      wordsLost += Math.max(0, words.length - heard.length);
      wordsRepeated += Math.max(0, heard.length - words.length);
      expect(heard).toEqual(words);
    }
    const figures = {
      scenario: 'gateway replica SIGKILLed mid-stream (WebSocket clients)',
      sent,
      results: transcribed,
      failed,
      lost: sent - transcribed - failed,
      duplicated,
      deadLettered: await deadLettered(stack),
      note: `${reconnects.length} reconnects, ${reconnects.reduce((n, r) => n + r.resentMs, 0)} ms resent, words lost ${wordsLost}, repeated ${wordsRepeated}`,
    };
    record(figures);
    expect(reconnects).toHaveLength(clients);
    expect(reconnects.every((r) => r.url === survivor.url && r.resentMs > 0)).toBe(true);
    expect(figures).toMatchObject({ lost: 0, failed: 0, duplicated: 0, deadLettered: 0 });
  });
});
