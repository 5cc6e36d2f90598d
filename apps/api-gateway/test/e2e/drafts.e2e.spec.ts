import type { SessionEvent } from '@livetranslate/contracts';
import { frames, SENTENCE, speechPcm } from './support/audio-fixtures.js';
import { collectUntilComplete, Stack } from './support/stack.js';

type Draft = { seq: number; draft: number; text: string; start_ms: number; end_ms: number };
type Final = { seq: number; text: string };

const of = <P>(events: SessionEvent[], type: string) =>
  events.filter((e) => e.event_type === type).map((e) => e.payload as P);

describe('drafts before finals (real processes)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await Stack.start({ gatewayEnv: { DRAFT_INTERVAL_MS: '500' } });
  });
  afterAll(() => stack?.stop());

  it('a live stream gets drafts of each chunk while it is recorded, then its final; drafts never enter the log', async () => {
    const client = stack.client();
    const session = await client.createSession({ chunk_ms: 3000, overlap_ms: 0 });
    const connection = await client.streamAudio(session.session_id, frames(speechPcm()), {
      paced: true,
      end: true,
    });
    const events = await collectUntilComplete(connection.events(), []);
    const drafts = of<Draft>(events, 'TranscriptionDraft');
    const finals = of<Final>(events, 'TranscriptionCompleted');
    expect(drafts.length).toBeGreaterThanOrEqual(4);
    // Drafts carry no log id (clients do not resume by them) and each says which chunk it drafts.
    expect(events.filter((e) => e.event_type === 'TranscriptionDraft').every((e) => e.id === '')).toBe(true);
    for (const final of finals) {
      const before = drafts.filter((d) => d.seq === final.seq);
      const finalAt = events.findIndex(
        (e) => e.event_type === 'TranscriptionCompleted' && (e.payload as Final).seq === final.seq,
      );
      // No draft of a chunk after its final.
      const lateDraft = events.findIndex(
        (e, i) =>
          i > finalAt && e.event_type === 'TranscriptionDraft' && (e.payload as Draft).seq === final.seq,
      );
      expect(lateDraft).toBe(-1);
      // What a draft says is the start of what the chunk says in the end (the words spoken so far).
      for (const draft of before) expect(final.text.startsWith(draft.text)).toBe(true);
    }
    expect(drafts.some((d) => d.text !== '')).toBe(true);
    // Only finals are kept: the log, the transcript and a replay hold no draft.
    const log = await stack.log(session.session_id);
    expect(log.some((e) => e.type === 'TranscriptionDraft')).toBe(false);
    expect((await client.transcript(session.session_id)).text).toBe(SENTENCE.join(' '));
    const replay = client.connect(session.session_id);
    const replayed = await collectUntilComplete(replay.events(), []);
    expect(replayed.some((e) => e.event_type === 'TranscriptionDraft')).toBe(false);
  });

  it("a meeting bot's capture is drafted too, and its followers see the drafts before the finals", async () => {
    await stack.addBotWorker('drafting-bots', { DRAFT_INTERVAL_MS: '500' });
    const client = stack.client();
    const bot = await client.createBot({
      // A lobby long enough for the follower below to be listening before the first word.
      meeting_url:
        'sim://standup?speakers=Alice,Bob&words=hello+friend+good+morning|thank+you+water+please&lobby_ms=1500',
      platform: 'simulated',
      target_languages: [],
    });
    const events = await collectUntilComplete(client.events(bot.session_id), [], 60_000);
    const drafts = of<Draft>(events, 'TranscriptionDraft');
    expect(drafts.filter((d) => d.text !== '').length).toBeGreaterThanOrEqual(2);
    // Drafts hear the meeting's words (their chunk's overlap included), and none comes after the
    // final of its chunk.
    const spoken = new Set('hello friend good morning thank you water please'.split(' '));
    for (const draft of drafts)
      for (const word of draft.text.split(' ').filter(Boolean)) expect(spoken).toContain(word);
    const finalAt = (seq: number) =>
      events.findIndex((e) => e.event_type === 'TranscriptionCompleted' && (e.payload as Final).seq === seq);
    events.forEach((e, i) => {
      if (e.event_type !== 'TranscriptionDraft') return;
      const at = finalAt((e.payload as Draft).seq);
      if (at !== -1) expect(i).toBeLessThan(at);
    });
    expect((await client.transcript(bot.session_id)).text).toBe([...spoken].join(' '));
    expect((await stack.log(bot.session_id)).some((e) => e.type === 'TranscriptionDraft')).toBe(false);
  });

  it('DRAFT_INTERVAL_MS=0 turns drafts off', async () => {
    const quiet = await stack.addGateway({ DRAFT_INTERVAL_MS: '0' });
    const client = stack.client(stack.gateways.indexOf(quiet));
    const session = await client.createSession({ chunk_ms: 2000, overlap_ms: 0 });
    const connection = await client.streamAudio(session.session_id, frames(speechPcm(SENTENCE.slice(0, 4))), {
      paced: true,
      end: true,
    });
    const events = await collectUntilComplete(connection.events(), []);
    expect(of<Final>(events, 'TranscriptionCompleted').length).toBeGreaterThan(0);
    expect(events.some((e) => e.event_type === 'TranscriptionDraft')).toBe(false);
  });
});
