import type { SessionRepository } from '@livetranslate/ingest';
import { sessionRecord } from '../../test/support/session-record.js';
import { parseKeyEntry } from '../auth/api-key-entries.js';
import { ApiKeys } from '../auth/api-keys.js';
import type { KeyRateLimit } from '../auth/key-rate-limit.js';
import { SessionAccess } from '../sessions/session-access.js';
import { CLOSE_CODES } from './close-codes.js';
import { SocketAdmission } from './socket-admission.js';

const SESSION = '0b7e1f9c-2d4a-4c8e-9f00-123456789abc';
const record = sessionRecord({ id: SESSION });

const repository = { get: async (id: string) => (id === SESSION ? record : null) };
const admission = new SocketAdmission(
  new ApiKeys([parseKeyEntry('acme-key-1:acme', false), parseKeyEntry('globex-key:globex', false)]),
  new SessionAccess(repository as unknown as SessionRepository),
  { consume: async () => undefined } as unknown as KeyRateLimit,
);

const upgrade = (url: string, headers: Record<string, string> = {}) =>
  admission.admit({ url, headers: { host: 'gw.example', ...headers } });

describe('SocketAdmission', () => {
  it("admits the session's own tenant, with where to resume", async () => {
    const admitted = await upgrade(`/ws/sessions/${SESSION}?token=acme-key-1&last_event_id=5-0`);
    expect(admitted).toMatchObject({ ok: true, lastEventId: '5-0', baseUrl: 'http://gw.example' });
  });

  it("refuses another tenant's session exactly like a missing one (4404)", async () => {
    const foreign = await upgrade(`/ws/sessions/${SESSION}`, { 'x-api-key': 'globex-key' });
    const missing = await upgrade('/ws/sessions/11111111-2222-4333-8444-555555555555', {
      'x-api-key': 'globex-key',
    });
    expect(foreign).toEqual({ ok: false, code: CLOSE_CODES.notFound, reason: 'session not found' });
    expect(missing).toEqual(foreign);
  });

  it('refuses a missing or unknown key (4401)', async () => {
    expect(await upgrade(`/ws/sessions/${SESSION}`)).toMatchObject({
      ok: false,
      code: CLOSE_CODES.unauthorized,
    });
    expect(await upgrade(`/ws/sessions/${SESSION}?token=wrong-key`)).toMatchObject({
      ok: false,
      code: CLOSE_CODES.unauthorized,
    });
  });
});
