import { execFileSync } from 'node:child_process';
import { CLOSED_NETWORK_CHROMIUM_FLAGS } from '../browser/chromium-flags.js';

/**
 * Launch options for tests' headless Chromium: Debian's, from PATH (`.ci/run` installs it when
 * absent), with the flags the closed network needs. Asked for, not read at import: most tests that
 * import the testing helpers never start a browser.
 */
export function testChromium(): { executablePath: string; args: string[] } {
  const executablePath = execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  return { executablePath, args: ['--headless', ...CLOSED_NETWORK_CHROMIUM_FLAGS] };
}
