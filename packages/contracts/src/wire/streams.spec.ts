import { sessionPartition } from './keys.js';
import {
  deadLetterStreamOf,
  DEFAULT_STREAMS,
  partitionedStreamOf,
  partitionedStreams,
  resolveRedisUrl,
  resolveStreamNames,
} from './streams.js';

describe('wire names', () => {
  it('defaults to the original service stream names', () => {
    expect(resolveStreamNames({})).toEqual(DEFAULT_STREAMS);
  });

  it('takes each override from its own variable', () => {
    const names = resolveStreamNames({ EVENT_STREAM_AUDIO: 'x:audio', EVENT_STREAM_MONITORING: ' ' });
    expect(names.audioIngest).toBe('x:audio');
    expect(names.monitoring).toBe('stream:monitoring');
  });

  it('names dead-letter streams <stream>:dlq', () => {
    expect(deadLetterStreamOf('stream:bot-control')).toBe('stream:bot-control:dlq');
  });

  it('prefers EVENT_BUS_REDIS_URL, then REDIS_URL, then localhost', () => {
    expect(resolveRedisUrl({ EVENT_BUS_REDIS_URL: 'redis://a', REDIS_URL: 'redis://b' })).toBe('redis://a');
    expect(resolveRedisUrl({ REDIS_URL: 'redis://b' })).toBe('redis://b');
    expect(resolveRedisUrl({})).toBe('redis://127.0.0.1:6379');
  });
});

describe('ingest partitions', () => {
  it('keeps the single stream name with one partition (seed-format publishers still reach workers)', () => {
    expect(partitionedStreams('stream:audio-ingest', 1)).toEqual(['stream:audio-ingest']);
    expect(partitionedStreamOf('stream:audio-ingest', 'any-session', 1)).toBe('stream:audio-ingest');
  });

  it('gives each partition its own hash tag and a session always the same one', () => {
    expect(partitionedStreams('stream:audio-ingest', 3)).toEqual([
      'stream:audio-ingest:{0}',
      'stream:audio-ingest:{1}',
      'stream:audio-ingest:{2}',
    ]);
    // The hash is a wire contract between every publisher and reader: these values must not change.
    expect(sessionPartition('3f0c8a36-5a0e-4c0a-9a51-2b1f6c2d7e10', 4)).toBe(1);
    expect(sessionPartition('session-b', 4)).toBe(0);
    expect(sessionPartition('session-c', 16)).toBe(7);
    expect(partitionedStreamOf('stream:audio-ingest', 'session-c', 16)).toBe('stream:audio-ingest:{7}');
  });

  it('spreads sessions evenly', () => {
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[sessionPartition(`session-${i}`, 4)]!++;
    for (const count of counts) expect(count).toBeGreaterThan(800);
  });
});
