import { Logger } from '@nestjs/common';
import { DEFAULT_SHUTDOWN_GRACE_MS } from '@livetranslate/contracts';

interface Closable {
  close(): Promise<void>;
}

/**
 * On SIGTERM or SIGINT: close the app (Nest runs its shutdown hooks: stop consuming, drain,
 * close connections) and exit 0; exit 1 if that takes longer than `graceMs`. Nest's own
 * `enableShutdownHooks` re-raises the signal instead, which Kubernetes reports as a failure.
 */
let shuttingDown = false;

/** True once SIGTERM or SIGINT started the drain: work still starting up may fail, and that is fine. */
export function isShuttingDown(): boolean {
  return shuttingDown;
}

export function exitCleanlyOnSignals(
  app: Closable,
  name: string,
  graceMs = DEFAULT_SHUTDOWN_GRACE_MS,
  afterClose: () => Promise<void> = async () => undefined,
): void {
  const logger = new Logger(name);
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    shuttingDown = true;
    logger.log(`${signal} received: draining`);
    const timer = setTimeout(() => {
      logger.error(`shutdown took longer than ${graceMs} ms; exiting`);
      process.exit(1);
    }, graceMs);
    timer.unref();
    app
      .close()
      .then(afterClose)
      .then(
        () => process.exit(0),
        (error: Error) => {
          logger.error(`shutdown failed: ${error.message}`);
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
