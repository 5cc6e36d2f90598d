/**
 * Event types as they appear in `event_type` on the wire (PascalCase, as in the original service).
 * Changing a value is a migration.
 */
export const EVENT_TYPES = {
  AudioChunkReceived: 'AudioChunkReceived',
  TranscriptionCompleted: 'TranscriptionCompleted',
  TranslationCompleted: 'TranslationCompleted',
  ProcessingFailed: 'ProcessingFailed',
  SessionEnded: 'SessionEnded',
  SessionCompleted: 'SessionCompleted',
  AudioDraftReceived: 'AudioDraftReceived',
  TranscriptionDraft: 'TranscriptionDraft',
  BotRequested: 'BotRequested',
  BotStopRequested: 'BotStopRequested',
  BotStatusUpdate: 'BotStatusUpdate',
  ConfigUpdateRequested: 'ConfigUpdateRequested',
  ConfigSnapshot: 'ConfigSnapshot',
  ConfigDriftDetected: 'ConfigDriftDetected',
  ConfigRollbackRequested: 'ConfigRollbackRequested',
  ServiceHealthReport: 'ServiceHealthReport',
  AnomalyDetected: 'AnomalyDetected',
  UsageMetrics: 'UsageMetrics',
} as const;

export type EventType = (typeof EVENT_TYPES)[keyof typeof EVENT_TYPES];

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(EVENT_TYPES, value);
}
