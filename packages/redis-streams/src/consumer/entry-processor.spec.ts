import { createEnvelope } from '@livetranslate/contracts';
import type { IdempotencyMarkers, MarkerClaim } from '../idempotency-markers.js';
import { chunkPayload } from '../../test/support/chunk.js';
import type { DeadLetter, DeadLetterWriter } from './dead-letter-writer.js';
import type { EventHandlerFn } from './delivered-event.js';
import { EntryProcessor, type ReadEntry } from './entry-processor.js';

const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };

function setup(options: { claim?: MarkerClaim; handler?: EventHandlerFn | null; lastError?: string } = {}) {
  const acked: string[] = [];
  const released: Array<{ eventId: string; entryId: string }> = [];
  const letters: DeadLetter[] = [];
  const counted: string[] = [];
  const markers = {
    begin: async () => options.claim ?? 'acquired',
    completeAndAck: async (_s: string, id: string) => void acked.push(id),
    release: async (_s: string, eventId: string, entryId: string) => void released.push({ eventId, entryId }),
    recordError: async () => undefined,
    lastError: async () => options.lastError ?? null,
  } as unknown as IdempotencyMarkers;
  const deadLetters = { write: async (l: DeadLetter) => void letters.push(l) } as unknown as DeadLetterWriter;
  const calls: number[] = [];
  const handler: EventHandlerFn =
    options.handler ??
    (async (event) => {
      calls.push(event.deliveries);
    });
  const processor = new EntryProcessor(
    { group: 'g', consumer: 'c', maxDeliveries: 3 },
    (type) => (type === 'AudioChunkReceived' && options.handler !== null ? handler : undefined),
    markers,
    deadLetters,
    (counter) => counted.push(counter),
    silent,
  );
  return { processor, acked, released, letters, counted, calls };
}

function entry(data: unknown, deliveries = 1): ReadEntry {
  const raw = typeof data === 'string' ? data : JSON.stringify(data);
  return { stream: 's', id: '1-0', fields: ['data', raw], deliveries, reclaimed: false };
}

const chunk = () => createEnvelope('AudioChunkReceived', chunkPayload(1, 'sess'), { source: 'test' });

describe('EntryProcessor', () => {
  it('runs the handler and acks its entry, which keeps the claim', async () => {
    const t = setup();
    await t.processor.process(entry(chunk()));
    expect(t.calls).toEqual([1]);
    expect(t.acked).toEqual(['1-0']);
    expect(t.released).toEqual([]);
    expect(t.counted).toEqual(['handled']);
  });

  it('dead-letters an entry that is not an envelope, and acks it', async () => {
    const t = setup();
    await t.processor.process(entry('not json'));
    expect(t.letters[0]).toMatchObject({ id: '1-0', raw: 'not json', eventType: 'unknown' });
    expect(t.acked).toEqual(['1-0']);
    expect(t.calls).toEqual([]);
  });

  it('dead-letters a payload that fails validation', async () => {
    const t = setup();
    const envelope = { ...chunk(), payload: { session_id: 5 } };
    await t.processor.process(entry(envelope));
    expect(t.letters[0]).toMatchObject({ reason: 'invalid_payload', eventType: 'AudioChunkReceived' });
  });

  it('acks and skips an event type it has no handler for', async () => {
    const t = setup({ handler: null });
    await t.processor.process(entry(chunk()));
    expect(t.counted).toEqual(['skipped']);
    expect(t.acked).toHaveLength(1);
  });

  it('dead-letters past maxDeliveries before running the handler, with the last recorded error', async () => {
    const t = setup({ lastError: 'whisper down' });
    const envelope = chunk();
    await t.processor.process(entry(envelope, 4));
    expect(t.calls).toEqual([]);
    // A claim an earlier delivery took is given back: a duplicate must not count as done.
    expect(t.released).toEqual([{ eventId: envelope.event_id, entryId: '1-0' }]);
    expect(t.acked).toEqual(['1-0']);
    expect(t.letters[0]).toMatchObject({
      reason: 'max_deliveries_exceeded',
      error: 'whisper down',
      deliveries: 4,
    });
  });

  it('acks a duplicate of a finished event without running it; leaves a busy one alone', async () => {
    const done = setup({ claim: 'done' });
    await done.processor.process(entry(chunk(), 2));
    expect(done.counted).toEqual(['duplicates']);
    expect(done.calls).toEqual([]);
    const busy = setup({ claim: 'busy' });
    await busy.processor.process(entry(chunk(), 2));
    expect(busy.acked).toEqual([]);
    expect(busy.calls).toEqual([]);
  });

  it('leaves a failed entry pending, and dead-letters it on its last allowed delivery', async () => {
    const failing: EventHandlerFn = async () => {
      throw new Error('boom');
    };
    const early = setup({ handler: failing });
    await early.processor.process(entry(chunk(), 2));
    expect(early.acked).toEqual([]);
    expect(early.letters).toEqual([]);
    expect(early.released).toHaveLength(1);
    const last = setup({ handler: failing });
    await last.processor.process(entry(chunk(), 3));
    expect(last.letters[0]).toMatchObject({ reason: 'max_deliveries_exceeded', error: 'boom' });
    expect(last.counted).toEqual(['failed', 'dead_lettered']);
  });
});
