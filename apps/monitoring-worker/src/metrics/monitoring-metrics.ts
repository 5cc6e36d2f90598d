import { Injectable } from '@nestjs/common';
import { HEALTH_STATUSES } from '@livetranslate/contracts';
import { MetricsRegistry } from '@livetranslate/service-kit';
import { MonitoringStore } from '@livetranslate/session-store';
import { Gauge, Histogram } from 'prom-client';

/**
 * The monitoring state as Prometheus gauges, read from the store at scrape time, so every replica
 * shows the latest round whichever replica ran it. The first gauge's collect loads the state and
 * fills the others (prom-client collects in registration order).
 */
@Injectable()
export class MonitoringMetrics {
  readonly roundSeconds: Histogram;

  constructor(metrics: MetricsRegistry, store: MonitoringStore) {
    const registers = [metrics.registry];
    const gauges: Array<Gauge<string>> = [];
    const gauge = <L extends string>(name: string, help: string, labelNames: L[]) => {
      const g = new Gauge<L>({ name, help, labelNames, registers });
      gauges.push(g as Gauge<string>);
      return g;
    };
    new Gauge<'service'>({
      name: 'livetranslate_service_up',
      help: 'Whether each service passes its checks (0 when unhealthy)',
      labelNames: ['service'],
      registers,
      async collect() {
        const [health, streams, alerts] = await Promise.all([
          store.healthStates(),
          store.streams(),
          store.activeAlerts(),
        ]);
        this.reset();
        for (const g of gauges) g.reset();
        for (const s of health) {
          this.set({ service: s.service }, s.status === 'unhealthy' ? 0 : 1);
          for (const candidate of HEALTH_STATUSES)
            status.set({ service: s.service, status: candidate }, candidate === s.status ? 1 : 0);
          latency.set({ service: s.service }, s.latency_ms / 1000);
          if (s.service === 'redis' && s.details) {
            redisUsed.set(Number(s.details.used_memory ?? 0));
            redisMax.set(Number(s.details.maxmemory ?? 0));
            redisClients.set(Number(s.details.connected_clients ?? 0));
          }
        }
        for (const stream of streams?.streams ?? []) {
          length.set({ stream: stream.stream }, stream.length);
          deadLetters.set({ stream: stream.stream }, stream.dlq_depth);
          for (const group of stream.groups) {
            const labels = { stream: stream.stream, group: group.group };
            if (group.lag !== null) lag.set(labels, group.lag);
            pending.set(labels, group.pending);
            oldest.set(labels, (group.oldest_pending_age_ms ?? 0) / 1000);
            for (const consumer of group.consumers)
              if (consumer.last_ack_age_ms !== null)
                lastAck.set({ ...labels, consumer: consumer.name }, consumer.last_ack_age_ms / 1000);
          }
        }
        for (const alert of alerts) anomalies.inc({ kind: alert.kind });
      },
    });
    const status = gauge(
      'livetranslate_service_health_status',
      'Health status of each service (1 on its status)',
      ['service', 'status'],
    );
    const latency = gauge(
      'livetranslate_service_check_latency_seconds',
      'Latency of the last check of each service',
      ['service'],
    );
    const redisUsed = gauge('livetranslate_redis_memory_used_bytes', 'Memory Redis uses', []);
    const redisMax = gauge('livetranslate_redis_memory_max_bytes', "Redis's maxmemory (0: no limit)", []);
    const redisClients = gauge('livetranslate_redis_connected_clients', 'Clients connected to Redis', []);
    const length = gauge('livetranslate_stream_length', 'Entries in each stream', ['stream']);
    const deadLetters = gauge(
      'livetranslate_stream_dead_letters',
      "Entries in each stream's dead-letter stream",
      ['stream'],
    );
    const lag = gauge(
      'livetranslate_consumer_group_lag',
      'Entries of a stream not yet delivered to a group',
      ['stream', 'group'],
    );
    const pending = gauge(
      'livetranslate_consumer_group_pending',
      'Entries delivered to a group, not yet acknowledged',
      ['stream', 'group'],
    );
    const oldest = gauge(
      'livetranslate_consumer_group_oldest_pending_age_seconds',
      "Age of a group's oldest unacknowledged entry",
      ['stream', 'group'],
    );
    const lastAck = gauge(
      'livetranslate_consumer_last_ack_age_seconds',
      'Time since each consumer last acknowledged an entry (or started)',
      ['stream', 'group', 'consumer'],
    );
    const anomalies = gauge('livetranslate_anomalies_active', 'Active anomalies by kind', ['kind']);
    this.roundSeconds = new Histogram({
      name: 'livetranslate_monitoring_round_duration_seconds',
      help: 'Time one monitoring round takes',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
  }
}
