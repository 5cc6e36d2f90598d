import type { BotInfo, GatewayClient, SessionEvent } from '@livetranslate/contracts';
import type { Output } from './commands.js';

export interface BotJoinOptions {
  client: GatewayClient;
  url: string;
  languages: string[];
  platform?: string | undefined;
  name: string;
  source?: string | undefined;
  /** Follow the bot's session (statuses, transcript, translations) until the bot ends. */
  follow: boolean;
}

/** Sends a bot; when following, prints its statuses and results as they arrive. Returns its end state. */
export async function botJoinCommand(options: BotJoinOptions, out: Output): Promise<string> {
  const platform = options.platform ?? (options.url.startsWith('sim:') ? 'simulated' : 'google_meet');
  const bot = await options.client.createBot({
    meeting_url: options.url,
    platform: platform as BotInfo['platform'] as never,
    bot_name: options.name,
    target_languages: options.languages,
    ...(options.source ? { source_language: options.source } : {}),
  });
  out.line(`bot ${bot.bot_id} (${bot.status}) → session ${bot.session_id}`);
  if (!options.follow) return bot.status;
  // The events end with the session's SessionCompleted, which comes after the bot's final status
  // and the results of its last chunks.
  for await (const event of options.client.events(bot.session_id)) printBotEvent(event, out);
  const ended = await options.client.getBot(bot.bot_id);
  out.line(`bot ${ended.bot_id}: ${ended.status}${ended.reason ? ` (${ended.reason})` : ''}`);
  return ended.status;
}

export async function botListCommand(
  client: GatewayClient,
  query: { status?: string; limit: number },
  out: Output,
): Promise<void> {
  const { bots } = await client.listBots(query);
  if (bots.length === 0) {
    out.line('no bots');
    return;
  }
  for (const bot of bots) {
    out.line(
      `${bot.bot_id}  ${bot.status.padEnd(18)} ${(bot.reason ?? '').padEnd(20)} ${bot.meeting_url}  (${bot.created_at})`,
    );
  }
}

function printBotEvent(event: SessionEvent, out: Output): void {
  const p = event.payload as Record<string, unknown>;
  switch (event.event_type) {
    case 'BotStatusUpdate':
      out.line(`[bot] ${p.previous_status ?? '?'} → ${p.status}${p.reason ? ` (${p.reason})` : ''}`);
      break;
    case 'TranscriptionCompleted': {
      const segments = (p.segments as Array<{ speaker?: string; text: string }>) ?? [];
      const speakers = [...new Set(segments.map((s) => s.speaker).filter(Boolean))];
      out.line(
        `[chunk ${p.seq}]${speakers.length ? ` ${speakers.join(', ')}:` : ''} ${p.text || '(silence)'}`,
      );
      break;
    }
    case 'TranslationCompleted':
      out.line(`[chunk ${p.seq}] ${p.target_language}: ${p.translated_text}`);
      break;
    case 'ProcessingFailed':
      out.line(`[chunk ${p.seq}] failed at ${p.stage}: ${p.message}`);
      break;
  }
}
