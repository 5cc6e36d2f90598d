import {
  SESSION_FIELDS as F,
  sessionKeys,
  type EventPayload,
  type EventType,
  type SessionCompleted,
} from '@livetranslate/contracts';
import { LuaScript, type RedisClient } from '@livetranslate/redis-streams';
import { APPEND_ONCE_LUA, RESULT_SLOTS, type AppendOnceReply } from './session-event-log.js';
import type { SessionResults } from './session-results.js';

// Records chunk `seq` as finished (once; `outcome` 'failed' when it has a ProcessingFailed), then
// says whether the session is complete: its input ended (next_seq is final then) and SessionEnded
// is in the log, every chunk finished, nothing holds it open (a bot's final status), and no
// SessionCompleted is in the log yet. Returns {total, completed, failed, audio ms} when due, else
// false. Runs on the session's slot, so the end of input and the last chunk racing each other both
// see one consistent state: whichever comes second finds the session due.
const FINISH_LUA = `
local function finish(meta, results, seq, outcome, completed_slot)
  -- A session whose record expired is forgotten: nothing is recorded for it (no key without a TTL).
  if redis.call('EXISTS', meta) == 0 then return false end
  if seq ~= '' and redis.call('HSETNX', results, 'd:' .. seq, outcome) == 1 then
    redis.call('HDEL', meta, 'chunk:' .. seq)
    redis.call('HINCRBY', meta, '${F.chunksDone}', 1)
    if outcome == 'failed' then redis.call('HINCRBY', meta, '${F.chunksFailed}', 1) end
  end
  local m = redis.call('HMGET', meta, '${F.status}', '${F.nextSeq}', '${F.chunksDone}', '${F.chunksFailed}', '${F.timelineMs}')
  if m[1] ~= 'ended' then return false end
  -- SessionEnded first: the input's end is marked before its event is appended, and a last chunk
  -- finishing in between must not put SessionCompleted ahead of it (the gateway settles after it).
  if redis.call('HEXISTS', results, '${RESULT_SLOTS.ended}') == 0 then return false end
  local total, done, failed = tonumber(m[2] or '0'), tonumber(m[3] or '0'), tonumber(m[4] or '0')
  if done < total or redis.call('HEXISTS', meta, '${F.completionHold}') == 1 then return false end
  if redis.call('HEXISTS', results, completed_slot) == 1 then return false end
  return {total, done - failed, failed, tonumber(m[5] or '0')}
end`;

type Due = [number, number, number, number] | null;

const FINISH = new LuaScript<Due>(
  'session-finish',
  `${FINISH_LUA}
return finish(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3])`,
);

// A chunk's last result and its finish in one step: appended once, then the chunk recorded as
// finished, so SessionCompleted (written after, when due) always follows the chunk's results.
const APPEND_AND_FINISH = new LuaScript<AppendOnceReply<Due>>(
  'log-append-once-finish',
  `${APPEND_ONCE_LUA}
${FINISH_LUA}
local reply = append_once(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3])
reply[5] = finish(KEYS[3], KEYS[2], ARGV[4], ARGV[5], ARGV[6])
return reply`,
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
    return this.complete(sessionId, due);
  }

  /**
   * Writes a chunk's last result (as `SessionResults.write`) and records the chunk `finished` in
   * the same step — one round trip where a write and then `settle` took two — then writes
   * SessionCompleted if that made the session complete. A retry repeats neither.
   */
  async writeLast<T extends EventType>(
    sessionId: string,
    slot: string,
    type: T,
    payload: EventPayload<T>,
    finished: FinishedChunk,
  ): Promise<SessionCompleted | null> {
    const { after } = await this.results.writeThen(sessionId, slot, type, payload, {
      script: APPEND_AND_FINISH,
      keys: [sessionKeys(this.prefix, sessionId).meta],
      args: [finished.seq, finished.failed ? 'failed' : 'ok', RESULT_SLOTS.completed],
    });
    return this.complete(sessionId, after ?? null);
  }

  private async complete(sessionId: string, due: Due): Promise<SessionCompleted | null> {
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
