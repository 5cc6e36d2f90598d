/** What the bot reads off a meeting page, whatever the platform's markup. */
export interface PageState {
  phase: 'prejoin' | 'lobby' | 'in_call' | 'denied' | 'removed' | 'ended' | 'unknown';
  /** Other participants in the call, when the page shows it. */
  participants: number | null;
}

/**
 * Platform specifics (selectors, texts) for one meeting platform. `readState` and `join` run in
 * the page, so they must be self-contained functions (no closures over Node values).
 */
export interface PlatformAdapter {
  readonly platform: string;
  /** In the page: fills in the bot's name and asks to join. Returns false when the form is not there yet. */
  join: (botName: string) => boolean;
  /** In the page: where the bot is and who else is there. */
  readState: () => PageState;
  /** In the page: the caption lines shown now (run on every DOM change, so kept to a query). */
  readCaptions: () => Array<{ speaker: string; text: string }>;
}

/**
 * Google Meet, by the labels and texts of its join flow. Meet's markup changes over time: when it
 * does, this is the one place to follow it. The test meeting page serves the same structure.
 */
export const googleMeetAdapter: PlatformAdapter = {
  platform: 'google_meet',
  join: (botName: string) => {
    const name = document.querySelector<HTMLInputElement>('input[aria-label="Your name"]');
    const button = [...document.querySelectorAll('button')].find((b) =>
      /^(Ask to join|Join now)$/.test((b.textContent ?? '').trim()),
    );
    if (!button) return false;
    if (name) {
      name.value = botName;
      name.dispatchEvent(new Event('input', { bubbles: true }));
    }
    button.click();
    return true;
  },
  readState: () => {
    const text = document.body?.innerText ?? '';
    const phase = /You've been removed from the meeting/.test(text)
      ? 'removed'
      : /(denied your request to join|You can't join this call)/.test(text)
        ? 'denied'
        : /(The call has ended|The meeting has ended|You left the meeting)/.test(text)
          ? 'ended'
          : document.querySelector('button[aria-label="Leave call"]')
            ? 'in_call'
            : /Asking to be let in/.test(text)
              ? 'lobby'
              : document.querySelector('input[aria-label="Your name"]')
                ? 'prejoin'
                : 'unknown';
    const count = document.querySelector('[data-participant-count]')?.getAttribute('data-participant-count');
    return {
      phase,
      // The bot itself is a participant: others are the rest.
      participants: count === null || count === undefined ? null : Math.max(0, Number(count) - 1),
    };
  },
  readCaptions: () =>
    [...document.querySelectorAll('[aria-label="Captions"] [data-caption]')].map((line) => ({
      speaker: line.querySelector('[data-caption-speaker]')?.textContent?.trim() ?? '',
      text: line.querySelector('[data-caption-text]')?.textContent?.trim() ?? '',
    })),
};

export const PLATFORM_ADAPTERS: Readonly<Record<string, PlatformAdapter>> = {
  google_meet: googleMeetAdapter,
};
