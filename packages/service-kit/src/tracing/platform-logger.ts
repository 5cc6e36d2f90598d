import { ConsoleLogger, Logger, type LogLevel } from '@nestjs/common';
import { LOG_LEVELS, type CommonEnv } from '../env/common-env.js';
import { context, trace } from '@opentelemetry/api';
import { REQUEST_ID_KEY } from './request-tracing.js';

/** `request_id`, `trace_id` and `span_id` of the work under way, when there is any. */
export function correlationIds(): Record<string, string> {
  const active = context.active();
  const ids: Record<string, string> = {};
  const requestId = active.getValue(REQUEST_ID_KEY);
  if (typeof requestId === 'string') ids.request_id = requestId;
  const span = trace.getSpan(active)?.spanContext();
  if (span && trace.isSpanContextValid(span)) {
    ids.trace_id = span.traceId;
    ids.span_id = span.spanId;
  }
  return ids;
}

/**
 * Nest's console logger, with every line carrying the ids that tie it to a request and a trace:
 * fields of the JSON object (LOG_FORMAT=json), `key=value` suffixes in text.
 */
export class PlatformLogger extends ConsoleLogger {
  protected override getJsonLogObject(
    message: unknown,
    options: Parameters<ConsoleLogger['getJsonLogObject']>[1],
  ): ReturnType<ConsoleLogger['getJsonLogObject']> {
    return { ...super.getJsonLogObject(message, options), ...correlationIds() };
  }

  protected override formatMessage(
    logLevel: LogLevel,
    message: unknown,
    pidMessage: string,
    formattedLogLevel: string,
    contextMessage: string,
    timestampDiff: string,
    params?: Record<string, unknown>,
  ): string {
    const line = super.formatMessage(
      logLevel,
      message,
      pidMessage,
      formattedLogLevel,
      contextMessage,
      timestampDiff,
      params,
    );
    const ids = Object.entries(correlationIds());
    if (ids.length === 0) return line;
    const suffix = ids.map(([key, value]) => `${key}=${value}`).join(' ');
    return line.endsWith('\n') ? `${line.slice(0, -1)} ${suffix}\n` : `${line} ${suffix}`;
  }
}

/** A logger honouring LOG_LEVEL and LOG_FORMAT, whose lines carry request and trace ids. */
export function createLogger(env: Pick<CommonEnv, 'LOG_LEVEL' | 'LOG_FORMAT'>, name: string): PlatformLogger {
  const levels = LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(env.LOG_LEVEL) + 1) as LogLevel[];
  return new PlatformLogger(name, {
    json: env.LOG_FORMAT === 'json',
    logLevels: levels,
    // Colour codes only for a person at a terminal, never into a file or a log collector.
    colors: env.LOG_FORMAT !== 'json' && Boolean(process.stdout.isTTY),
  });
}

/** Makes every `new Logger(…)` follow LOG_LEVEL and LOG_FORMAT from the start, before the app exists. */
export function useEnvLogger(env: Pick<CommonEnv, 'LOG_LEVEL' | 'LOG_FORMAT'>): void {
  Logger.overrideLogger(createLogger(env, 'main'));
}
