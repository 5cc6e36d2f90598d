import { Injectable } from '@nestjs/common';
import { MetricsRegistry } from '@livetranslate/service-kit';
import { Counter, Gauge } from 'prom-client';

@Injectable()
export class BotMetrics {
  readonly transitions: Counter<'to'>;
  readonly illegalTransitions: Counter<'from' | 'to'>;
  readonly ended: Counter<'status' | 'reason'>;
  readonly running: Gauge;

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    this.transitions = new Counter({
      name: 'livetranslate_bot_transitions_total',
      help: 'Bot state transitions made, by target state',
      labelNames: ['to'],
      registers,
    });
    this.illegalTransitions = new Counter({
      name: 'livetranslate_bot_illegal_transitions_total',
      help: 'Bot state transitions refused by the transition table',
      labelNames: ['from', 'to'],
      registers,
    });
    this.ended = new Counter({
      name: 'livetranslate_bots_ended_total',
      help: 'Bots that ended, by final state and reason',
      labelNames: ['status', 'reason'],
      registers,
    });
    this.running = new Gauge({
      name: 'livetranslate_bots_running',
      help: 'Bots this worker runs now',
      registers,
    });
  }
}
