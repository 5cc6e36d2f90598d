import { execFileSync } from 'node:child_process';

/** Debian's Chromium, from PATH (`.ci/run` installs it when absent). */
export const CHROMIUM = execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();

/** Headless on a closed network: without these Chromium hangs trying to reach Google's services. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
