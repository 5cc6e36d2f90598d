import { Logger } from '@nestjs/common';

/** Retries `probe` with capped backoff until it resolves; logs while waiting. */
export async function waitFor(
  what: string,
  probe: () => Promise<unknown>,
  logger = new Logger('startup'),
): Promise<void> {
  let delay = 100;
  for (let attempt = 1; ; attempt++) {
    try {
      await probe();
      return;
    } catch (error) {
      if (attempt === 1 || attempt % 10 === 0)
        logger.warn(`waiting for ${what}: ${(error as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 2_000);
    }
  }
}
