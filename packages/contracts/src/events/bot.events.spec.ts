import { validatePayload } from './event-map.js';
import { BOT_STATUSES, BOT_TRANSITIONS, isAllowedBotTransition, isTerminalBotStatus } from './bot.events.js';

const request = {
  bot_id: 'b-1',
  tenant_id: 't-1',
  platform: 'simulated',
  target_languages: ['es'],
};

describe('bot contracts', () => {
  it('accepts https and sim meeting URLs only', () => {
    for (const url of ['https://meet.google.com/abc-defg-hij', 'sim://standup?speakers=alice,bob']) {
      expect(validatePayload('BotRequested', { ...request, meeting_url: url }).ok).toBe(true);
    }
    for (const url of [
      'http://meet.example.com/x',
      'ftp://x/y',
      'meet.google.com/abc',
      'javascript:alert(1)',
    ]) {
      expect(validatePayload('BotRequested', { ...request, meeting_url: url }).ok).toBe(false);
    }
  });

  it('has a transition table covering every status; terminal states lead nowhere', () => {
    expect(Object.keys(BOT_TRANSITIONS).sort()).toEqual([...BOT_STATUSES].sort());
    for (const status of BOT_STATUSES) {
      const next = BOT_TRANSITIONS[status];
      expect(next.every((s) => BOT_STATUSES.includes(s))).toBe(true);
      if (isTerminalBotStatus(status)) expect(next).toEqual([]);
      else expect(next).toEqual(expect.arrayContaining(['stopped', 'failed']));
    }
  });

  it('walks the happy path and refuses shortcuts', () => {
    const path = BOT_STATUSES.filter((status) => status !== 'failed');
    for (let i = 1; i < path.length; i++) expect(isAllowedBotTransition(path[i - 1]!, path[i]!)).toBe(true);
    expect(isAllowedBotTransition('requested', 'active')).toBe(false);
    expect(isAllowedBotTransition('queued', 'active')).toBe(false);
    expect(isAllowedBotTransition('stopped', 'active')).toBe(false);
    expect(isAllowedBotTransition('leaving', 'active')).toBe(false);
  });
});
