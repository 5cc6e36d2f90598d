import { SESSION_FIELDS as F, sessionKeys, type SessionCompleted } from '@livetranslate/contracts';
import { LuaScript, type RedisClient } from '@livetranslate/redis-streams';
import { RESULT_SLOTS } from './session-event-log.js';
import type { SessionResults } from './session-results.js';

// Records chunk ARGV[1] as finished (once; ARGV[2] 'failed' when it has a ProcessingFailed), then
// says whether the session is complete: its input ended (next_seq is final then) and SessionEnded
// is in the log, every chunk finished, nothing holds it open (a bot's final status), and no
// SessionCompleted is in the log yet. Returns {total, completed, failed, audio ms} when due, else
// false. Runs on the session's slot, so the end of input and the last chunk racing each other both
// see one consistent state: whichever comes second finds the session due.
const FINISH = new LuaScript<[number, number, number, number] | null>(
  'session-finish',
  `
-- A session whose record expired is forgotten: nothing is recorded for it (no key without a TTL).
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
if ARGV[1] ~= '' and redis.call('HSETNX', KEYS[2], 'd:' .. ARGV[1], ARGV[2]) == 1 then
  redis.call('HDEL', KEYS[1], 'chunk:' .. ARGV[1])
  redis.call('HINCRBY', KEYS[1], '${F.chunksDone}', 1)
  if ARGV[2] == 'failed' then redis.call('HINCRBY', KEYS[1], '${F.chunksFailed}', 1) end
end
local m = redis.call('HMGET', KEYS[1], '${F.status}', '${F.nextSeq}', '${F.chunksDone}', '${F.chunksFailed}', '${F.timelineMs}')
if m[1] ~= 'ended' then return false end
-- SessionEnded first: the input's end is marked before its event is appended, and a last chunk
-- finishing in between must not put SessionCompleted ahead of it (the gateway settles after it).
if redis.call('HEXISTS', KEYS[2], '${RESULT_SLOTS.ended}') == 0 then return false end
local total, done, failed = tonumber(m[2] or '0'), tonumber(m[3] or '0'), tonumber(m[4] or '0')
if done < total or redis.call('HEXISTS', KEYS[1], '${F.completionHold}') == 1 then return false end
if redis.call('HEXISTS', KEYS[2], ARGV[3]) == 1 then return false end
return {total, done - failed, failed, tonumber(m[5] or '0')}`,
);

/** A chunk's processing is over: `failed` when at least one of its results is a ProcessingFailed. */
export interface FinishedChunk {
  seq: number;
  failed: boolean;
}

/**
 * Tells when a session is done: after its input ended and every chunk it accepted finished, the
 * log gets exactly one SessionCompleted with totals. Both sides that can finish the last piece
 * call `settle` — the worker after each chunk, the gateway after the input ends — and the one
 * that finds the session due writes it (one slot, so a retry or a tie never writes two).
 */
export class SessionCompletion {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly results: SessionResults,
  ) {}

  /**
   * Lets the session complete once the holder's last event is in the log (a bot's final status),
   * and completes it if that was all it waited for.
   */
  async release(sessionId: string): Promise<SessionCompleted | null> {
    await this.redis.hdel(sessionKeys(this.prefix, sessionId).meta, F.completionHold);
    return this.settle(sessionId);
  }

  /** Records `finished` (when given) and writes SessionCompleted if the session is now complete. */
  async settle(sessionId: string, finished?: FinishedChunk): Promise<SessionCompleted | null> {
    const keys = sessionKeys(this.prefix, sessionId);
    const due = await FINISH.run(
      this.redis,
      [keys.meta, keys.results],
      [finished ? finished.seq : '', finished?.failed ? 'failed' : 'ok', RESULT_SLOTS.completed],
    );
    if (!due) return null;
    const [total, completed, failed, audioMs] = due;
    const payload: SessionCompleted = {
      session_id: sessionId,
      total_chunks: total,
      completed_chunks: completed,
      failed_chunks: failed,
      audio_ms: audioMs,
    };
    await this.results.write(sessionId, RESULT_SLOTS.completed, 'SessionCompleted', payload);
    return payload;
  }
}
