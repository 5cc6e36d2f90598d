import { BOT_STATUSES, type BotInfo, type GatewayClient } from '@livetranslate/contracts';

export const FINAL_BOT_STATES = ['stopped', 'failed'];

export const ended = (bot: BotInfo) => FINAL_BOT_STATES.includes(bot.status);

/** Who says what in the test meetings (simulated and browser alike), as `speaker:word`. */
export const STANDUP_WORDS = [
  'Alice:hello',
  'Alice:friend',
  'Alice:good',
  'Alice:morning',
  'Bob:thank',
  'Bob:you',
  'Bob:water',
  'Bob:please',
];

/** The whole happy path of a bot, as its transitions list it: every status but `failed`. */
export const FULL_BOT_LIFECYCLE: string[] = BOT_STATUSES.filter((status) => status !== 'failed');

/** Polls a bot until `done` holds (or the time runs out, failing with where it was). */
export async function waitForBot(
  client: GatewayClient,
  id: string,
  done: (bot: BotInfo) => boolean,
  // Generous: on a loaded 2-core CI machine a bot-worker may take long to pick a job up.
  timeoutMs = 60_000,
): Promise<BotInfo> {
  const deadline = Date.now() + timeoutMs;
  let bot = await client.getBot(id);
  while (!done(bot)) {
    if (Date.now() > deadline) {
      throw new Error(
        `bot ${id} stuck in ${bot.status}: ${JSON.stringify(bot.transitions?.map((t) => t.status))}`,
      );
    }
    await new Promise((r) => setTimeout(r, 150));
    bot = await client.getBot(id);
  }
  return bot;
}
