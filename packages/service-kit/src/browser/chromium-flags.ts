/**
 * Chromium flags for a network that reaches nothing outside (the bot-worker's pods, CI): without
 * them Chromium keeps trying Google's services and can hang. The bot-worker's driver and the
 * browser tests both start from these.
 */
export const CLOSED_NETWORK_CHROMIUM_FLAGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
