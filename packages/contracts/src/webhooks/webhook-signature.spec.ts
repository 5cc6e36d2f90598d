import { createHmac } from 'node:crypto';
import { signWebhook, verifyWebhook } from './webhook-signature.js';

describe('webhook signatures', () => {
  const body = JSON.stringify({ event_type: 'SessionCompleted', payload: { total_chunks: 3 } });
  const now = 1_800_000_000_000;
  const t = now / 1000;

  it('is HMAC-SHA256 over "<timestamp>.<body>", hex, in t=…,v1=…', () => {
    const expected = createHmac('sha256', 'secret').update(`${t}.${body}`).digest('hex');
    expect(signWebhook('secret', body, t)).toBe(`t=${t},v1=${expected}`);
  });

  it('accepts its own signature and refuses any change, another secret, a stale time or no header', () => {
    const header = signWebhook('secret', body, t);
    expect(verifyWebhook('secret', header, body, { now })).toBeNull();
    expect(verifyWebhook('secret', header, body.replace('3', '4'), { now })).toBe('signature mismatch');
    expect(verifyWebhook('other', header, body, { now })).toBe('signature mismatch');
    expect(verifyWebhook('secret', header, body, { now: now + 301_000 })).toBe(
      'timestamp outside the tolerance',
    );
    expect(verifyWebhook('secret', undefined, body, { now })).toBe('no signature header');
    expect(verifyWebhook('secret', 'v1=abc', body, { now })).toBe('malformed signature header');
    expect(verifyWebhook('secret', `t=${t},v1=zz`, body, { now })).toBe('signature mismatch');
  });
});
