import type { SessionRecord, SessionRepository } from '@livetranslate/ingest';
import { sessionRecord } from '../../test/support/session-record.js';
import { ApiError } from '@livetranslate/service-kit';
import { SessionAccess } from './session-access.js';

const own = sessionRecord();

function accessOver(records: SessionRecord[]): SessionAccess {
  const repository = { get: async (id: string) => records.find((r) => r.id === id) ?? null };
  return new SessionAccess(repository as unknown as SessionRepository);
}

async function statusOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (error) {
    return (error as ApiError).getStatus();
  }
}

describe('SessionAccess', () => {
  it("returns the tenant's own session", async () => {
    await expect(accessOver([own]).find('acme', 's-1')).resolves.toBe(own);
  });

  it("answers another tenant's session exactly like a missing one", async () => {
    const access = accessOver([own]);
    expect(await statusOf(access.find('globex', 's-1'))).toBe(404);
    expect(await statusOf(access.find('acme', 'missing'))).toBe(404);
    const [foreign, missing] = await Promise.allSettled([
      access.find('globex', 's-1'),
      access.find('globex', 'missing'),
    ]);
    const body = (r: PromiseSettledResult<unknown>) => ((r as PromiseRejectedResult).reason as ApiError).code;
    expect(body(foreign)).toBe(body(missing));
  });
});
