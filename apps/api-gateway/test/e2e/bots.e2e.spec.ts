import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { GatewayError, type BotInfo } from '@livetranslate/contracts';
import { speechWav } from './support/audio-fixtures.js';
import { ended, FULL_BOT_LIFECYCLE, STANDUP_WORDS, waitForBot } from './support/bots.js';
import { completeTranscript, Stack } from './support/stack.js';

describe('meeting bots end to end (real processes: gateway, bot-worker, audio worker, mocks; simulated meetings)', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start({ gatewayEnv: { MAX_BOTS_PER_TENANT: '12' } });
    await stack.addBotWorker('bots-1', {
      BOT_ADMISSION_TIMEOUT_MS: '1500',
      BOT_NO_AUDIO_TIMEOUT_MS: '1500',
      BOT_ALONE_TIMEOUT_MS: '1000',
      BOT_MAX_DURATION_MS: '9000',
      BOT_HEARTBEAT_MS: '500',
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('ends every lifecycle path in the right state with the right reason', async () => {
    const client = stack.client();
    const paths: Array<[string, string, string]> = [
      ['sim://ends?lobby_ms=300', 'stopped', 'meeting_ended'],
      ['sim://never-admitted?admit=never', 'failed', 'admission_timeout'],
      ['sim://refused?admit=no&lobby_ms=300', 'failed', 'admission_denied'],
      ['sim://kicked?remove_after_ms=1200&end=never', 'stopped', 'removed_from_meeting'],
      ['sim://quiet?silent_after_ms=600&end=never', 'failed', 'no_audio_timeout'],
      ['sim://empty?alone_after_ms=600&end=never', 'stopped', 'alone_in_meeting'],
      ['sim://endless?end=never&lobby_ms=0', 'stopped', 'max_duration'],
    ];
    const bots = await Promise.all(
      paths.map(([url]) =>
        client.createBot({ meeting_url: url, platform: 'simulated', target_languages: [] }),
      ),
    );
    const finished = await Promise.all(bots.map((bot) => waitForBot(client, bot.bot_id, ended, 40_000)));
    expect(finished.map((b) => [b.meeting_url, b.status, b.reason])).toEqual(paths);
    for (const bot of finished) {
      const states = bot.transitions!.map((t) => t.status);
      expect(states.slice(0, 4)).toEqual(['requested', 'queued', 'spawning', 'joining']);
      // Each transition names its predecessor and has a time.
      bot.transitions!.forEach((t, i) => {
        expect(t.previous_status).toBe(i === 0 ? null : states[i - 1]);
        expect(Number.isNaN(Date.parse(t.at))).toBe(false);
      });
      // A bot that was in the meeting leaves before it ends.
      if (states.includes('active')) expect(states.at(-2)).toBe('leaving');
    }
    // Its session ended too, and its log carries the statuses next to the transcript.
    const log = await stack.log(finished[0]!.session_id);
    const statuses = log.filter((e) => e.type === 'BotStatusUpdate').map((e) => e.payload.status);
    expect(statuses).toEqual(FULL_BOT_LIFECYCLE.slice(1));
    expect(log.some((e) => e.type === 'SessionEnded')).toBe(true);
  });

  it('transcribes and translates the meeting with speaker names from its captions', async () => {
    const client = stack.client();
    const bot = await client.createBot({
      meeting_url:
        'sim://standup?speakers=Alice,Bob&words=hello+friend+good+morning|thank+you+water+please&lobby_ms=200',
      platform: 'simulated',
      target_languages: ['es'],
    });
    expect(await waitForBot(client, bot.bot_id, ended)).toMatchObject({
      status: 'stopped',
      reason: 'meeting_ended',
    });
    // The bot ends once its input ended; its last chunk may still be in the pipeline.
    const transcript = await completeTranscript(client, bot.session_id);
    expect(transcript.complete).toBe(true);
    expect(transcript.segments.map((s) => `${s.speaker}:${s.text}`)).toEqual(STANDUP_WORDS);
    expect(transcript.translations.es?.text).toContain('hola amigo');
  });

  it('stops a bot on request wherever it runs, flushing its last audio before `stopped`', async () => {
    const client = stack.client();
    const bot = await client.createBot({
      meeting_url: 'sim://stop-me?end=never&lobby_ms=0',
      platform: 'simulated',
    });
    await waitForBot(client, bot.bot_id, (b) => b.status === 'active');
    await new Promise((r) => setTimeout(r, 1_800)); // less than one chunk: all of it is buffered
    expect((await client.stopBot(bot.bot_id)).bot_id).toBe(bot.bot_id);
    const stopped = await waitForBot(client, bot.bot_id, ended);
    expect(stopped).toMatchObject({ status: 'stopped', reason: 'stop_requested' });
    const log = await stack.log(bot.session_id);
    const sessionEnded = log.find((e) => e.type === 'SessionEnded')!;
    expect(sessionEnded.payload.total_chunks).toBeGreaterThanOrEqual(1);
    // The flushed chunk was published before the bot reported `stopped`.
    const stoppedAt = log.findIndex((e) => e.type === 'BotStatusUpdate' && e.payload.status === 'stopped');
    expect(log.findIndex((e) => e.type === 'SessionEnded')).toBeLessThan(stoppedAt);
  });

  it('returns the live bot for a second request to the same meeting, and keeps it per tenant', async () => {
    const a = stack.client();
    const first = await a.createBot({ meeting_url: 'sim://same-room?end=never', platform: 'simulated' });
    const again = await a.createBot({ meeting_url: 'sim://same-room?end=never', platform: 'simulated' });
    expect(again.bot_id).toBe(first.bot_id);
    // Another tenant neither sees it nor shares it.
    const b = stack.client(0, 'key-of-tenant-b');
    await expect(b.getBot(first.bot_id)).rejects.toMatchObject({ status: 404, code: 'bot_not_found' });
    const theirs = await b.createBot({ meeting_url: 'sim://same-room?end=never', platform: 'simulated' });
    expect(theirs.bot_id).not.toBe(first.bot_id);
    await waitForBot(a, first.bot_id, (bot) => bot.status === 'active');
    const listed = await a.listBots({ status: 'active' });
    expect(listed.bots.map((bot) => bot.bot_id)).toContain(first.bot_id);
    expect(listed.bots.every((bot) => bot.status === 'active')).toBe(true);
    await Promise.all([a.stopBot(first.bot_id), b.stopBot(theirs.bot_id)]);
    await Promise.all([waitForBot(a, first.bot_id, ended), waitForBot(b, theirs.bot_id, ended)]);
  });

  it('`lt bot join` sends a bot and follows it to its end; `lt bot ls` lists it', async () => {
    const lt = fileURLToPath(new URL('../../../../packages/cli/bin/lt.js', import.meta.url));
    const env = {
      ...process.env,
      NODE_OPTIONS: '',
      LT_URL: stack.gateways[0]!.url,
      LT_API_KEY: 'key-of-tenant-a',
    };
    const run = promisify(execFile);
    const joined = await run(
      process.execPath,
      [lt, 'bot', 'join', 'sim://cli-demo?lobby_ms=200', '--to', 'es'],
      {
        env,
        timeout: 60_000,
      },
    );
    expect(joined.stdout).toMatch(/→ session /);
    expect(joined.stdout).toContain('[bot] awaiting_admission → active');
    expect(joined.stdout).toMatch(/\[chunk 0\] Alice: hello friend good morning/);
    expect(joined.stdout).toMatch(/es: hola amigo/);
    expect(joined.stdout).toMatch(/: stopped \(meeting_ended\)\n$/);
    const listed = await run(process.execPath, [lt, 'bot', 'ls', '--status', 'stopped'], { env });
    expect(listed.stdout).toContain('sim://cli-demo');
  });

  it("refuses client audio on a bot's session (409) and bad bot requests (400)", async () => {
    const client = stack.client();
    const bot = await client.createBot({ meeting_url: 'sim://no-clients?end=never', platform: 'simulated' });
    const refused = await client.sendChunk(bot.session_id, speechWav()).catch((e: GatewayError) => e);
    expect(refused).toMatchObject({ status: 409, code: 'bot_session' });
    for (const request of [
      { meeting_url: 'http://meet.example.com/x', platform: 'google_meet' },
      { meeting_url: 'sim://x', platform: 'google_meet' },
      { meeting_url: 'https://meet.google.com/abc-defg-hij', platform: 'skype' },
    ]) {
      await expect(client.createBot(request as never)).rejects.toMatchObject({ status: 400 });
    }
    await client.stopBot(bot.bot_id);
    await waitForBot(client, bot.bot_id, ended);
  });

  it('caps bots per tenant, counting queued and live ones (429)', async () => {
    const client = stack.client(0, 'key-of-tenant-b');
    const bots: BotInfo[] = [];
    for (let i = 0; i < 12; i++) {
      bots.push(await client.createBot({ meeting_url: `sim://cap-${i}?end=never`, platform: 'simulated' }));
    }
    await expect(
      client.createBot({ meeting_url: 'sim://cap-13', platform: 'simulated' }),
    ).rejects.toMatchObject({
      status: 429,
      code: 'too_many_bots',
    });
    await Promise.all(bots.map((bot) => client.stopBot(bot.bot_id)));
    await Promise.all(bots.map((bot) => waitForBot(client, bot.bot_id, ended)));
    // Ended bots free their places.
    const next = await client.createBot({ meeting_url: 'sim://cap-13', platform: 'simulated' });
    await client.stopBot(next.bot_id);
    await waitForBot(client, next.bot_id, ended);
  });
});

describe('bot scheduling and crashes (real processes)', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('runs MAX_CONCURRENT_BOTS at once; the rest wait queued and start in order as slots free', async () => {
    await stack.addBotWorker('slots', { MAX_CONCURRENT_BOTS: '2' });
    const client = stack.client();
    const bots: BotInfo[] = [];
    for (let i = 0; i < 5; i++) {
      bots.push(
        await client.createBot({
          meeting_url: `sim://slot-${i}?end=never&lobby_ms=0`,
          platform: 'simulated',
        }),
      );
    }
    await waitForBot(client, bots[1]!.bot_id, (b) => b.status === 'active');
    await waitForBot(client, bots[0]!.bot_id, (b) => b.status === 'active');
    await new Promise((r) => setTimeout(r, 500));
    const statuses = async () =>
      (await Promise.all(bots.map((b) => client.getBot(b.bot_id)))).map((b) => b.status);
    expect(await statuses()).toEqual(['active', 'active', 'queued', 'queued', 'queued']);
    await client.stopBot(bots[0]!.bot_id);
    await waitForBot(client, bots[2]!.bot_id, (b) => b.status === 'active');
    expect((await statuses()).slice(3)).toEqual(['queued', 'queued']);
    await client.stopBot(bots[1]!.bot_id);
    await waitForBot(client, bots[3]!.bot_id, (b) => b.status === 'active');
    expect((await client.getBot(bots[4]!.bot_id)).status).toBe('queued');
    // A queued bot stops without ever starting.
    await client.stopBot(bots[4]!.bot_id);
    const unstarted = await waitForBot(client, bots[4]!.bot_id, ended);
    expect(unstarted.transitions!.map((t) => t.status)).toEqual(['requested', 'queued', 'stopped']);
    await Promise.all([client.stopBot(bots[2]!.bot_id), client.stopBot(bots[3]!.bot_id)]);
    await Promise.all(bots.map((b) => waitForBot(client, b.bot_id, ended)));
  });

  it('rejoins a bot on a live worker after its worker is SIGKILLed mid-meeting, without duplicating a chunk', async () => {
    const fast = { BOT_LOCK_MS: '2000', BOT_HEARTBEAT_MS: '300' };
    const doomed = await stack.addBotWorker('doomed', fast);
    const client = stack.client();
    // Only the doomed worker takes jobs until the bot is running on it.
    for (const worker of stack.botWorkers.filter((w) => w !== doomed)) await worker.stop('SIGTERM');
    const bot = await client.createBot({
      meeting_url: 'sim://crash?turns=6&end=never&lobby_ms=0',
      platform: 'simulated',
      target_languages: [],
    });
    await waitForBot(client, bot.bot_id, (b) => b.status === 'active');
    await new Promise((r) => setTimeout(r, 3_500)); // at least one chunk out
    await stack.addBotWorker('survivor', fast);
    await doomed.stop('SIGKILL');

    const recovered = await waitForBot(
      client,
      bot.bot_id,
      (b) => (b.status === 'active' && b.recoveries === 1) || ended(b),
      30_000,
    );
    expect(recovered).toMatchObject({ status: 'active', recoveries: 1 });
    const states = recovered.transitions!.map((t) => t.status);
    expect(states.slice(-3)).toEqual(['spawning', 'joining', 'active']);
    expect(recovered.transitions!.at(-3)!.reason).toBe('recovering');

    await new Promise((r) => setTimeout(r, 3_500));
    await client.stopBot(bot.bot_id);
    expect(await waitForBot(client, bot.bot_id, ended)).toMatchObject({
      status: 'stopped',
      reason: 'stop_requested',
    });
    const log = await stack.log(bot.session_id);
    const seqs = log.filter((e) => e.type === 'TranscriptionCompleted').map((e) => e.payload.seq as number);
    const total = log.find((e) => e.type === 'SessionEnded')!.payload.total_chunks as number;
    expect(total).toBeGreaterThanOrEqual(2);
    expect(new Set(seqs).size).toBe(seqs.length); // no chunk twice
    const transcript = await client.transcript(bot.session_id);
    const starts = transcript.segments.map((s) => s.start_ms);
    expect(new Set(starts).size).toBe(starts.length);
  });

  it('hands its bots over when a bot-worker drains on SIGTERM: another rejoins, not counted as a recovery', async () => {
    const client = stack.client();
    for (const worker of stack.botWorkers) if (worker.child.exitCode === null) await worker.stop('SIGKILL');
    const leaving = await stack.addBotWorker('draining', { BOT_LOCK_MS: '2000' });
    const bot = await client.createBot({
      meeting_url: 'sim://handover?end=never&lobby_ms=0',
      platform: 'simulated',
    });
    await waitForBot(client, bot.bot_id, (b) => b.status === 'active');
    await stack.addBotWorker('successor', { BOT_LOCK_MS: '2000' });
    expect(await leaving.stop('SIGTERM')).toBe(0);
    const rejoined = await waitForBot(
      client,
      bot.bot_id,
      (b) => (b.status === 'active' && b.transitions!.some((t) => t.reason === 'handover')) || ended(b),
    );
    expect(rejoined).toMatchObject({ status: 'active', recoveries: 0 });
    await client.stopBot(bot.bot_id);
    expect(await waitForBot(client, bot.bot_id, ended)).toMatchObject({
      status: 'stopped',
      reason: 'stop_requested',
    });
  });

  it('ends a bot failed/worker_lost, with the stage it died in, once its recoveries are used up', async () => {
    const client = stack.client();
    for (const worker of stack.botWorkers) if (worker.child.exitCode === null) await worker.stop('SIGKILL');
    const noRecovery = { BOT_LOCK_MS: '2000', BOT_MAX_RECOVERY_ATTEMPTS: '0' };
    const doomed = await stack.addBotWorker('doomed-for-good', noRecovery);
    const bot = await client.createBot({
      meeting_url: 'sim://lost?end=never&lobby_ms=0',
      platform: 'simulated',
    });
    await waitForBot(client, bot.bot_id, (b) => b.status === 'active');
    await stack.addBotWorker('witness', noRecovery);
    await doomed.stop('SIGKILL');
    const lost = await waitForBot(client, bot.bot_id, ended);
    expect(lost).toMatchObject({ status: 'failed', reason: 'worker_lost', stage: 'active' });
    // Its session ended too: nothing is left waiting for audio that will never come.
    expect((await stack.log(bot.session_id)).some((e) => e.type === 'SessionEnded')).toBe(true);
  });
});
