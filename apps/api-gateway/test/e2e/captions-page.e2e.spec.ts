import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeWav, synthesizeWords, type ToneWord } from '@livetranslate/audio';
import { chromium, type Browser, type Page } from 'playwright-core';
import { testChromium } from '@livetranslate/service-kit/testing';
import { Stack, TENANT_A_KEY, until } from './support/stack.js';

const WORDS: ToneWord[] = ['hello', 'world', 'good', 'morning', 'thank', 'you', 'friend', 'water', 'house'];
/** What the page says once the session's SessionCompleted arrived (a selector: the page's CSP forbids eval). */
const COMPLETE = '#status >> text="Session complete."';
const RESULTS = fileURLToPath(new URL('../../test-results/', import.meta.url));

/** The microphone Chromium fakes: the words once (`%noloop`), then silence. */
function fakeMicrophone(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'lt-mic-')), 'speech.wav');
  writeFileSync(
    file,
    encodeWav([synthesizeWords(WORDS, { sampleRate: 48_000, leadingSilenceMs: 800 })], 48_000),
  );
  return file;
}

/** The rows' text as the page shows it: finals, by chunk. */
async function finals(page: Page): Promise<string[]> {
  return page.$$eval('#captions tbody tr td.final', (cells) => cells.map((c) => c.textContent?.trim() ?? ''));
}

describe('the live captions page in headless Chromium (real processes)', () => {
  let stack: Stack;
  let browser: Browser;
  beforeAll(async () => {
    stack = await Stack.start();
    const { executablePath, args } = testChromium();
    browser = await chromium.launch({
      executablePath,
      args: [
        ...args,
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-audio-capture=${fakeMicrophone()}%noloop`,
        '--autoplay-policy=no-user-gesture-required',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('streams the microphone, shows drafts then finals with translations, resumes after a dropped socket with nothing lost or doubled', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const base = stack.gateways[0]!.url;
    const response = await page.goto(base);
    expect(response!.headers()['content-security-policy']).toContain("default-src 'self'");
    // The key is asked for once and kept in this tab's session storage only.
    await page.fill('#key', TENANT_A_KEY);
    await page.click('#key-form button');
    await page.check('#languages input[value="es"]');
    await page.click('#speak');
    await page.waitForURL(/\/live\/[0-9a-f-]{36}$/);
    const sessionId = page.url().split('/').pop()!;
    expect(await page.evaluate("sessionStorage.getItem('livetranslate-api-key')")).toBe(TENANT_A_KEY);

    // A draft (grey) before the first final (black).
    await page.waitForSelector('#captions td.draft', { timeout: 20_000 });
    await page.waitForSelector('#captions td.final', { timeout: 20_000 });
    // The network fails mid-sentence: the page reconnects, resumes after the last event it showed
    // and sends again the audio the session had not stored.
    await page.evaluate('window.liveTranslate.drop()');
    await until(
      'every word on the page',
      async () => (await finals(page)).join(' ').split(/\s+/).length >= WORDS.length,
      30_000,
    );
    await page.click('#stop');
    await page.waitForSelector(COMPLETE, { timeout: 30_000 });

    // Every word exactly once, in order — also a word the drop cut in two: the old input's last
    // chunk left its end for the resumed input to repeat — and the page shows what the session's own
    // transcript has.
    const shown = (await finals(page)).filter(Boolean).join(' ');
    expect(shown).toBe(WORDS.join(' '));
    const client = stack.client();
    const transcript = await client.transcript(sessionId);
    expect(transcript.text).toBe(shown);
    // Translations beside the text, as the translation service gave them.
    const spanish = await page.$$eval('#captions tbody td[data-lang="es"]', (cells) =>
      cells.map((c) => c.textContent?.trim() ?? '').filter(Boolean),
    );
    expect(spanish.join(' ')).toBe(transcript.translations.es!.text);
    expect(await page.locator('#captions td.draft').count()).toBe(0); // every draft replaced by its final
    expect(errors).toEqual([]);
    mkdirSync(RESULTS, { recursive: true });
    await page.screenshot({ path: join(RESULTS, 'captions-page.png'), fullPage: true });

    // Someone else watching the same session at /live/:id sees the same captions (replayed).
    const watcher = await browser.newPage();
    await watcher.goto(base);
    await watcher.fill('#key', TENANT_A_KEY);
    await watcher.click('#key-form button');
    await watcher.goto(`${base}/live/${sessionId}`);
    await watcher.waitForSelector(COMPLETE);
    expect((await finals(watcher)).filter(Boolean).join(' ')).toBe(WORDS.join(' '));
    await watcher.close();
    await page.close();
  });

  it('serves nothing of a tenant without its key: the page asks for one, and another tenant’s session is not found', async () => {
    const page = await browser.newPage();
    const base = stack.gateways[0]!.url;
    const theirs = await stack.client(0, TENANT_A_KEY).createSession();
    await page.goto(`${base}/live/${theirs.session_id}`);
    expect(await page.isVisible('#key-form')).toBe(true);
    expect(await page.locator('#captions tbody tr').count()).toBe(0);
    await page.fill('#key', 'key-of-tenant-b');
    await page.click('#key-form button');
    await page.waitForSelector('#error:not([hidden])');
    expect(await page.textContent('#error')).toContain('404');
    await page.close();
  });
});
