import { Injectable } from '@nestjs/common';

type Flush = () => Promise<void>;

/**
 * Audio inputs open on this replica (WebSocket streams), so ending a session first flushes the
 * audio they still buffer into a last chunk.
 */
@Injectable()
export class LiveInputs {
  private readonly bySession = new Map<string, Set<Flush>>();

  register(sessionId: string, flush: Flush): () => void {
    let set = this.bySession.get(sessionId);
    if (!set) this.bySession.set(sessionId, (set = new Set()));
    set.add(flush);
    return () => {
      set.delete(flush);
      if (set.size === 0) this.bySession.delete(sessionId);
    };
  }

  async flush(sessionId: string): Promise<void> {
    await Promise.all([...(this.bySession.get(sessionId) ?? [])].map((flush) => flush()));
  }
}
