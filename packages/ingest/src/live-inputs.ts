import { Inject, Injectable } from '@nestjs/common';
import { INPUT_PEERS, type InputPeers } from './input-peers.js';

/**
 * `final`: the session's input ends, buffered audio is its last chunk. `handover`: the session goes
 * on from another input (a client resuming elsewhere), whose first chunk repeats this one's end.
 */
export type FlushMode = 'final' | 'handover';

type Flush = (mode: FlushMode) => Promise<void>;

/**
 * Audio inputs open on this replica (WebSocket streams, bots), so ending a session first flushes
 * the audio they still buffer into a last chunk — also inputs on other replicas than the one that
 * ends it (a DELETE may land anywhere): those are asked through the peers and waited for.
 */
@Injectable()
export class LiveInputs {
  private readonly bySession = new Map<string, Set<Flush>>();

  constructor(@Inject(INPUT_PEERS) private readonly peers: InputPeers) {
    peers.answerWith(async (sessionId, mode) => {
      if (!this.bySession.has(sessionId)) return false;
      await this.flushHere(sessionId, mode);
      return true;
    });
  }

  register(sessionId: string, flush: Flush): () => void {
    let set = this.bySession.get(sessionId);
    if (!set) {
      this.bySession.set(sessionId, (set = new Set()));
      this.peers.hold(sessionId);
    }
    set.add(flush);
    return () => {
      set.delete(flush);
      if (set.size > 0 || this.bySession.get(sessionId) !== set) return;
      this.bySession.delete(sessionId);
      this.peers.release(sessionId);
    };
  }

  /** Flushes every input of the session, on this replica and on the others holding one. */
  async flush(sessionId: string, mode: FlushMode = 'final'): Promise<void> {
    await this.flushHere(sessionId, mode);
    await this.peers.flushElsewhere(sessionId, mode);
  }

  private async flushHere(sessionId: string, mode: FlushMode): Promise<void> {
    await Promise.all([...(this.bySession.get(sessionId) ?? [])].map((flush) => flush(mode)));
  }
}
