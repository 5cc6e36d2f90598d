import { Injectable } from '@nestjs/common';

/** A dependency this app needs before it can serve: resolves when reachable, throws when not. */
export type ReadinessProbe = (signal: AbortSignal) => Promise<Record<string, unknown> | void>;

/** Where features register what `/readyz` must check (Redis, downstream services, …). */
@Injectable()
export class ReadinessChecks {
  private readonly probes = new Map<string, ReadinessProbe>();

  register(name: string, probe: ReadinessProbe): void {
    if (this.probes.has(name)) throw new Error(`readiness check "${name}" is registered twice`);
    this.probes.set(name, probe);
  }

  entries(): Array<[string, ReadinessProbe]> {
    return [...this.probes];
  }
}
