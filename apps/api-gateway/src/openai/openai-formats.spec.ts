import { clock, formatAudioResult, type AudioResult } from './openai-formats.js';

const result: AudioResult = {
  task: 'transcribe',
  language: 'en',
  durationMs: 3_725_456,
  text: 'hello world',
  segments: [
    { startMs: 200, endMs: 500, text: 'hello' },
    { startMs: 3_725_000, endMs: 3_725_456, text: 'world' },
  ],
};

describe('OpenAI audio response formats', () => {
  it('writes SRT and WebVTT clocks', () => {
    expect(clock(3_725_456, ',')).toBe('01:02:05,456');
    expect(clock(200, '.')).toBe('00:00:00.200');
  });

  it('answers json, text, verbose_json, srt and vtt as OpenAI does', () => {
    expect(formatAudioResult(result, 'json')).toEqual({
      type: 'application/json',
      body: '{"text":"hello world"}',
    });
    expect(formatAudioResult(result, 'text').body).toBe('hello world\n');
    const verbose = JSON.parse(formatAudioResult(result, 'verbose_json').body);
    expect(verbose).toMatchObject({
      task: 'transcribe',
      language: 'english',
      duration: 3725.456,
      text: 'hello world',
    });
    expect(verbose.segments[1]).toMatchObject({ id: 1, start: 3725, end: 3725.456, text: 'world' });
    expect(formatAudioResult(result, 'srt').body).toBe(
      '1\n00:00:00,200 --> 00:00:00,500\nhello\n\n2\n01:02:05,000 --> 01:02:05,456\nworld\n',
    );
    expect(formatAudioResult(result, 'vtt')).toEqual({
      type: 'text/vtt; charset=utf-8',
      body: 'WEBVTT\n\n00:00:00.200 --> 00:00:00.500\nhello\n\n01:02:05.000 --> 01:02:05.456\nworld\n',
    });
  });
});
