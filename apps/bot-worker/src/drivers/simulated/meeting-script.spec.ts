import { MeetingScriptError, parseMeetingScript } from './meeting-script.js';

const parse = (url: string) => parseMeetingScript(new URL(url));

describe('parseMeetingScript', () => {
  it('has defaults that make a short, ordinary meeting', () => {
    const script = parse('sim://standup');
    expect(script).toMatchObject({
      meeting: 'standup',
      admit: 'yes',
      lobbyMs: 500,
      endAfterMs: 'script',
      removeAfterMs: null,
      captionDelayMs: 500,
    });
    expect(script.turns.map((t) => t.speaker)).toEqual(['Alice', 'Bob']);
    expect(script.turns.every((t) => t.words.length === 4)).toBe(true);
  });

  it('reads turns (by speaker, in rotation) and every knob from the URL', () => {
    const script = parse(
      'sim://x?speakers=Ann,Ben,Cy&words=hello+friend|thank+you|water&admit=no&lobby_ms=0&remove_after_ms=900&end=never&silent_after_ms=5&alone_after_ms=7&caption_delay_ms=0',
    );
    expect(script.turns).toEqual([
      { speaker: 'Ann', words: ['hello', 'friend'] },
      { speaker: 'Ben', words: ['thank', 'you'] },
      { speaker: 'Cy', words: ['water'] },
    ]);
    expect(script).toMatchObject({
      admit: 'no',
      lobbyMs: 0,
      removeAfterMs: 900,
      endAfterMs: 'never',
      silentAfterMs: 5,
      aloneAfterMs: 7,
      captionDelayMs: 0,
    });
    expect(parse('sim://x?end=2500').endAfterMs).toBe(2500);
  });

  it('names what is wrong with a bad URL', () => {
    expect(() => parse('sim://x?words=hello+banana')).toThrow(MeetingScriptError);
    expect(() => parse('sim://x?words=hello+banana')).toThrow('banana');
    expect(() => parse('sim://x?admit=maybe')).toThrow('admit');
    expect(() => parse('sim://x?lobby_ms=soon')).toThrow('lobby_ms');
    expect(() => parse('https://meet.example.com/x')).toThrow('not a simulated meeting');
  });
});
