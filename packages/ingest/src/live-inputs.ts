import { Inject, Injectable } from '@nestjs/common';
import { INPUT_PEERS, type InputPeers } from './input-peers.js';

type Flush = () => Promise<void>;

/**
 * Audio inputs open on this replica (WebSocket streams, bots), so ending a session first flushes
 * the audio they still buffer into a last chunk — also inputs on other replicas than the one that
 * ends it (a DELETE may land anywhere): those are asked through the peers and waited for.
 */
@Injectable()
export class LiveInputs {
  private readonly bySession = new Map<string, Set<Flush>>();

  constructor(@Inject(INPUT_PEERS) private readonly peers: InputPeers) {
    peers.answerWith(async (sessionId) => {
      if (!this.bySession.has(sessionId)) return false;
      await this.flushHere(sessionId);
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
  async flush(sessionId: string): Promise<void> {
    await this.flushHere(sessionId);
    await this.peers.flushElsewhere(sessionId);
  }

  private async flushHere(sessionId: string): Promise<void> {
    await Promise.all([...(this.bySession.get(sessionId) ?? [])].map((flush) => flush()));
  }
}
