import { Inject, Injectable } from '@nestjs/common';
import { BOT_WORKER_ENV, enabledDrivers, type BotWorkerEnv } from '../config/env.js';
import type { MeetingDriver } from './meeting-driver.js';
import { BrowserDriver } from './browser/browser.driver.js';
import { SimulatedDriver } from './simulated/simulated.driver.js';

export class DriverUnavailableError extends Error {}

/** The drivers this worker may use, chosen by the meeting URL. */
@Injectable()
export class MeetingDrivers {
  private readonly drivers: MeetingDriver[];
  private readonly enabled: ReadonlySet<string>;

  constructor(@Inject(BOT_WORKER_ENV) env: BotWorkerEnv) {
    this.enabled = new Set(enabledDrivers(env));
    this.drivers = [
      new SimulatedDriver(),
      new BrowserDriver({
        executablePath: env.CHROMIUM_PATH,
        ignoreHttpsErrors: env.BOT_BROWSER_IGNORE_HTTPS_ERRORS,
        pollMs: env.BOT_BROWSER_POLL_MS,
      }),
    ];
  }

  forUrl(url: URL): MeetingDriver {
    const driver = this.drivers.find((d) => d.handles(url));
    if (!driver) throw new DriverUnavailableError(`no driver handles ${url.protocol} meeting URLs`);
    if (!this.enabled.has(driver.name)) {
      throw new DriverUnavailableError(`the ${driver.name} driver is not enabled here (BOT_DRIVERS)`);
    }
    return driver;
  }
}
