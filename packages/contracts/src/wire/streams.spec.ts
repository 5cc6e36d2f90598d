import { deadLetterStreamOf, DEFAULT_STREAMS, resolveRedisUrl, resolveStreamNames } from './streams.js';

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
