import { chromium, type Browser, type Page } from 'playwright-core';
import { testChromium } from '@livetranslate/service-kit/testing';
import { googleMeetAdapter } from '../../src/drivers/browser/platform-adapter.js';
import {
  captionWatchScript,
  takeWatchedCaptions,
  type CaptionsSeen,
} from '../../src/drivers/browser/page-caption-watch.js';

// A page with Meet's captions region, served by the test itself (nothing leaves the machine).
const MEETING = 'https://meet.test/abc-defg-hij';
const PAGE = '<!doctype html><html><body><div aria-label="Captions"></div></body></html>';

describe('the caption watch in a meeting page (headless Chromium)', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await chromium.launch(testChromium());
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    page = await browser.newPage();
    await page.route(MEETING, (route) => route.fulfill({ contentType: 'text/html', body: PAGE }));
    await page.addInitScript(captionWatchScript(googleMeetAdapter.readCaptions));
    await page.goto(MEETING);
  });
  afterEach(async () => {
    await page?.close();
  });

  /**
   * Shows these caption lines as Meet does (none: the region empties). Returns the page's clock
   * just before the change and just after the watch has seen it (its observer runs as a microtask
   * queued by the change, so before the one awaited here).
   */
  function show(lines: Array<[speaker: string, text: string]>): Promise<Moment> {
    return page.evaluate(async (shown) => {
      const before = Date.now();
      document.querySelector('[aria-label="Captions"]')!.innerHTML = shown
        .map(
          ([speaker, text]) =>
            `<div data-caption><span data-caption-speaker>${speaker}</span>: <span data-caption-text>${text}</span></div>`,
        )
        .join('');
      await Promise.resolve();
      return { before, after: Date.now() };
    }, lines);
  }

  interface Moment {
    before: number;
    after: number;
  }

  /** A time the watch noted during `moment`. */
  const during = (moment: Moment) => ({
    asymmetricMatch: (t: number) => t >= moment.before && t <= moment.after,
    toString: () => `a time in [${moment.before}, ${moment.after}]`,
  });

  const take = (): Promise<CaptionsSeen> => page.evaluate(takeWatchedCaptions);
  const pause = () => page.waitForTimeout(30);

  it('keeps a turn that came and went between two polls, timed by its own caption', async () => {
    const carolShown = await show([['Carol', 'yes']]);
    await pause();
    const carolGone = await show([]);
    await pause();
    const aliceShown = await show([['Alice', 'hello']]);
    await pause();
    await show([['Alice', 'hello friend']]);

    const seen = await take();
    // The poll never saw Carol's line, yet her turn is there, with when it appeared and went.
    expect(seen.ended).toEqual([
      { speaker: 'Carol', text: 'yes', since: during(carolShown), until: during(carolGone) },
    ]);
    // Alice's growing line is one turn, dated from its first words.
    expect(seen.shown).toEqual([{ speaker: 'Alice', text: 'hello friend', since: during(aliceShown) }]);
  });

  it('hands each ended turn over once, and keeps the line still shown', async () => {
    await show([['Carol', 'yes']]);
    await pause();
    await show([['Alice', 'hello']]);
    expect((await take()).ended.map((turn) => turn.speaker)).toEqual(['Carol']);

    const again = await take();
    expect(again.ended).toEqual([]);
    expect(again.shown.map((line) => `${line.speaker}: ${line.text}`)).toEqual(['Alice: hello']);
  });

  it("starts a new turn when a speaker's line is replaced rather than continued", async () => {
    const first = await show([['Alice', 'hello friend']]);
    await pause();
    const second = await show([['Alice', 'good morning']]);

    const seen = await take();
    expect(seen.ended).toEqual([
      { speaker: 'Alice', text: 'hello friend', since: during(first), until: during(second) },
    ]);
    expect(seen.shown).toEqual([{ speaker: 'Alice', text: 'good morning', since: during(second) }]);
  });
});
