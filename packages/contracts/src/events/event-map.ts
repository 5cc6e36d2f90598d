import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import type { EventType } from '../wire/event-types.js';
import type { StreamAlias } from '../wire/streams.js';
import {
  AudioChunkReceived,
  AudioDraftReceived,
  ProcessingFailed,
  SessionCompleted,
  SessionEnded,
  TranscriptionCompleted,
  TranscriptionDraft,
  TranslationCompleted,
} from './audio.events.js';
import { BotRequested, BotStatusUpdate, BotStopRequested } from './bot.events.js';
import {
  ConfigDriftDetected,
  ConfigRollbackRequested,
  ConfigSnapshot,
  ConfigUpdateRequested,
} from './config.events.js';
import { AnomalyDetected, ServiceHealthReport, UsageMetrics } from './monitoring.events.js';
import { compiledCheckFor, instantiate } from '../validation/compiled-validator.js';

/** The one map from event type to payload class. Publishers and handlers are typed from it. */
export const EVENT_PAYLOAD_CLASSES = {
  AudioChunkReceived,
  TranscriptionCompleted,
  TranslationCompleted,
  ProcessingFailed,
  SessionEnded,
  SessionCompleted,
  AudioDraftReceived,
  TranscriptionDraft,
  BotRequested,
  BotStopRequested,
  BotStatusUpdate,
  ConfigUpdateRequested,
  ConfigSnapshot,
  ConfigDriftDetected,
  ConfigRollbackRequested,
  ServiceHealthReport,
  AnomalyDetected,
  UsageMetrics,
} as const satisfies { [K in EventType]: new () => object };

/** The payload of an event type, as a plain object shape. */
export type EventPayload<T extends EventType> = InstanceType<(typeof EVENT_PAYLOAD_CLASSES)[T]>;
export type EventPayloadMap = { [K in EventType]: EventPayload<K> };

/** The stream each event type is published to unless a publisher says otherwise. */
export const EVENT_STREAM: { readonly [K in EventType]: StreamAlias } = {
  AudioChunkReceived: 'audioIngest',
  TranscriptionCompleted: 'audioResults',
  TranslationCompleted: 'audioResults',
  ProcessingFailed: 'audioResults',
  SessionEnded: 'audioResults',
  SessionCompleted: 'audioResults',
  AudioDraftReceived: 'audioDrafts',
  // Never on a stream of its own: the live fan-out carries it to connected clients.
  TranscriptionDraft: 'audioResults',
  BotRequested: 'botControl',
  BotStopRequested: 'botControl',
  BotStatusUpdate: 'botControl',
  ConfigUpdateRequested: 'configSync',
  ConfigSnapshot: 'configSync',
  ConfigDriftDetected: 'configSync',
  ConfigRollbackRequested: 'configSync',
  ServiceHealthReport: 'monitoring',
  AnomalyDetected: 'monitoring',
  UsageMetrics: 'monitoring',
};

export type PayloadValidation<T extends EventType> =
  { ok: true; value: EventPayload<T> } | { ok: false; errors: string[] };

/**
 * Validates a raw payload against its event's class. Unknown payload keys are kept (a newer producer
 * may add fields); missing or malformed known keys fail. Valid payloads take the compiled fast path;
 * class-validator itself decides and explains everything else.
 */
export function validatePayload<T extends EventType>(eventType: T, raw: unknown): PayloadValidation<T> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, errors: ['payload must be an object'] };
  }
  return validateAs(EVENT_PAYLOAD_CLASSES[eventType] as unknown as new () => EventPayload<T>, raw);
}

/**
 * The rules a payload breaks, or none: `validatePayload` without building the class instance, for
 * producers, which send the object they were given.
 */
export function payloadErrors(eventType: EventType, raw: unknown): string[] | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return ['payload must be an object'];
  const cls = EVENT_PAYLOAD_CLASSES[eventType] as unknown as new () => object;
  if (compiledCheckFor(cls)?.(raw)) return undefined;
  const result = validateWithClassValidator(cls, raw);
  return result.ok ? undefined : result.errors;
}

/**
 * Validates a plain object against any class-validator class (event payloads, downstream
 * responses): the compiled check decides valid input fast; class-validator decides and explains
 * everything else.
 */
export function validateAs<T extends object>(
  cls: new () => T,
  raw: object,
): { ok: true; value: T } | { ok: false; errors: string[] } {
  const check = compiledCheckFor(cls);
  if (check?.(raw)) return { ok: true, value: instantiate(cls, raw) };
  return validateWithClassValidator(cls, raw);
}

/** The reference path: class-transformer then class-validator, with every failed rule named. */
export function validateWithClassValidator<T extends object>(
  cls: new () => T,
  raw: object,
): { ok: true; value: T } | { ok: false; errors: string[] } {
  const value = plainToInstance(cls, raw);
  const errors = validateSync(value, { forbidUnknownValues: true });
  if (errors.length > 0) return { ok: false, errors: flattenValidationErrors(errors) };
  return { ok: true, value };
}

/** `audio_config.sample_rate: sample_rate must not be less than 1000` — one line per failed rule. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): string[] {
  const lines: string[] = [];
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    for (const message of Object.values(error.constraints ?? {})) lines.push(`${path}: ${message}`);
    if (error.children?.length) lines.push(...flattenValidationErrors(error.children, path));
  }
  return lines;
}
