import type { StreamRetention } from '../stream-retention.js';
import { describeError, type ConsumerLogger } from './consumer-logger.js';

/** Trims the group's streams to what every group reading them has finished, and is old enough. */
export class StreamTrimmer {
  constructor(
    private readonly streams: readonly string[],
    private readonly retention: StreamRetention,
    private readonly minAgeMs: number,
    private readonly logger: ConsumerLogger,
  ) {}

  async trim(): Promise<void> {
    for (const stream of this.streams) {
      try {
        await this.retention.trimToGroupProgress(stream, { minAgeMs: this.minAgeMs });
      } catch (error) {
        this.logger.warn(`trim of ${stream} failed: ${describeError(error)}`);
      }
    }
  }
}
