import { chromium, type Browser } from 'playwright-core';
import { testChromium } from '@livetranslate/service-kit/testing';
import { MeetingPage } from './support/meeting-page.js';
import { ended, FULL_BOT_LIFECYCLE, STANDUP_WORDS, waitForBot } from './support/bots.js';
import { completeTranscript, Stack } from './support/stack.js';

describe('browser bot in headless Chromium against a local meeting page (real processes)', () => {
  let stack: Stack;
  let meeting: MeetingPage;
  let host: Browser;

  beforeAll(async () => {
    meeting = await MeetingPage.start([
      { speaker: 'Alice', words: ['hello', 'friend', 'good', 'morning'] },
      { speaker: 'Bob', words: ['thank', 'you', 'water', 'please'] },
    ]);
    stack = await Stack.start();
    await stack.addBotWorker('browser-bots', {
      BOT_BROWSER_IGNORE_HTTPS_ERRORS: 'true',
      BOT_NO_AUDIO_TIMEOUT_MS: '20000',
      // A slow poll, as on a starved machine: the page's first words play before the bot notices
      // it was admitted, and must not be lost; and the change of speaker falls between two polls,
      // so the words either side of it are named right only from the captions' own times.
      BOT_BROWSER_POLL_MS: '2500',
    });
    host = await chromium.launch(testChromium());
  });
  afterAll(async () => {
    await host?.close();
    await stack?.stop();
    await meeting?.stop();
  });

  it('waits in the lobby until admitted, transcribes the page audio with caption speaker names, and ends when removed', async () => {
    const client = stack.client();
    const bot = await client.createBot({
      meeting_url: meeting.meetingUrl,
      platform: 'google_meet',
      bot_name: 'Scribe',
      target_languages: ['es'],
    });
    await waitForBot(client, bot.bot_id, (b) => b.status === 'awaiting_admission');
    expect(meeting.joined).toEqual(['Scribe']);

    // The host admits the bot from their own page.
    const context = await host.newContext({ ignoreHTTPSErrors: true });
    const hostPage = await context.newPage();
    await hostPage.goto(meeting.hostUrl);
    await hostPage.getByRole('button', { name: 'Admit' }).click();
    await waitForBot(client, bot.bot_id, (b) => b.status === 'active');

    // The WAV lasts about 5 s: wait for its words to come back through the pipeline.
    const deadline = Date.now() + 40_000;
    let transcript = await client.transcript(bot.session_id);
    while (!transcript.segments.some((s) => s.text === 'please') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      transcript = await client.transcript(bot.session_id);
    }
    // A starved machine can drop a few ms of the page's audio inside a tone, which the mock then
    // hears as the same word twice: consecutive repeats of a speaker's word are counted once.
    const heard = transcript.segments
      .map((s) => `${s.speaker}:${s.text}`)
      .filter((word, i, all) => word !== all[i - 1]);
    expect(heard).toEqual(STANDUP_WORDS);

    await hostPage.getByRole('button', { name: 'Remove' }).click();
    const finished = await waitForBot(client, bot.bot_id, ended, 45_000);
    expect(finished).toMatchObject({ status: 'stopped', reason: 'removed_from_meeting' });
    expect(finished.transitions!.map((t) => t.status)).toEqual(FULL_BOT_LIFECYCLE);
    expect((await completeTranscript(client, bot.session_id)).translations.es?.text).toContain('hola amigo');
  });
});
