import { execFileSync } from 'node:child_process';
import { CLOSED_NETWORK_CHROMIUM_FLAGS } from '@livetranslate/service-kit';

/** Debian's Chromium, from PATH (`.ci/run` installs it when absent). */
export const CHROMIUM = execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();

/** Headless on the closed network. */
export const CHROMIUM_FLAGS = ['--headless', ...CLOSED_NETWORK_CHROMIUM_FLAGS];
