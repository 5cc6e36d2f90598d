import { Counter, Gauge } from 'prom-client';
import type { DownstreamClients } from '../env/downstream-clients.js';
import type { MetricsRegistry } from './metrics.js';

/**
 * The model services' circuit breakers as metrics: `livetranslate_model_circuit_open{service}` (1
 * while calls fail fast) and `livetranslate_model_circuit_transitions_total{service,state}`.
 */
export class ModelCircuitMetrics {
  constructor(metrics: MetricsRegistry, models: DownstreamClients) {
    const services = { whisper: models.speech, translation: models.translation };
    const transitions = new Counter({
      name: 'livetranslate_model_circuit_transitions_total',
      help: 'Times the circuit to a model service opened, half-opened or closed again',
      labelNames: ['service', 'state'],
      registers: [metrics.registry],
    });
    new Gauge({
      name: 'livetranslate_model_circuit_open',
      help: '1 while the circuit to the model service is open (calls fail fast without reaching it)',
      labelNames: ['service'],
      registers: [metrics.registry],
      collect() {
        for (const [service, client] of Object.entries(services))
          this.set({ service }, client.circuitState === 'open' ? 1 : 0);
      },
    });
    for (const [service, client] of Object.entries(services)) {
      for (const state of ['open', 'half-open', 'closed']) transitions.inc({ service, state }, 0);
      client.onCircuitChange((state) => transitions.inc({ service, state }));
    }
  }
}
