/** What the transport counts. Apps export these as Prometheus counters; tests read them directly. */
export const TRANSPORT_COUNTERS = [
  'handled',
  'failed',
  'reclaimed',
  'dead_lettered',
  'duplicates',
  'skipped',
] as const;
export type TransportCounter = (typeof TRANSPORT_COUNTERS)[number];

export interface TransportCounterLabels {
  stream: string;
  group: string;
  event_type: string;
}

export interface TransportMetrics {
  increment(counter: TransportCounter, labels: TransportCounterLabels): void;
}

/** Default sink: totals per counter, enough for tests and for apps that poll. */
export class InMemoryTransportMetrics implements TransportMetrics {
  private readonly totals = new Map<TransportCounter, number>();

  increment(counter: TransportCounter): void {
    this.totals.set(counter, (this.totals.get(counter) ?? 0) + 1);
  }

  get(counter: TransportCounter): number {
    return this.totals.get(counter) ?? 0;
  }

  snapshot(): Record<TransportCounter, number> {
    return Object.fromEntries(TRANSPORT_COUNTERS.map((c) => [c, this.get(c)])) as Record<
      TransportCounter,
      number
    >;
  }
}
