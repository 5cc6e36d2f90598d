import { isBlockedAddress, refuseWebhookUrl } from './webhook-url.js';

describe('webhook URL safety', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.1.2.3', true],
    ['172.20.0.1', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['::1', true],
    ['fd00::1', true],
    ['fe80::1', true],
    ['::ffff:127.0.0.1', true],
    ['93.184.216.34', false],
    ['2606:4700:4700::1111', false],
    ['::ffff:8.8.8.8', false],
  ])('%s blocked: %s', (address, blocked) => {
    expect(isBlockedAddress(address)).toBe(blocked);
  });

  it('refuses other schemes, credentials and (unless allowed) hosts that resolve to private addresses', async () => {
    expect(await refuseWebhookUrl('ftp://example.com/x', false)).toMatch(/http:\/\/ or https:\/\//);
    expect(await refuseWebhookUrl('https://user:pw@example.com/x', false)).toMatch(/credentials/);
    expect(await refuseWebhookUrl('http://localhost:8080/hook', false)).toMatch(
      /resolves to (127\.0\.0\.1|::1), a loopback, private or link-local address/,
    );
    expect(await refuseWebhookUrl('http://[::1]:8080/hook', false)).toMatch(/::1/);
    expect(await refuseWebhookUrl('http://169.254.169.254/latest/meta-data', false)).toMatch(/169\.254/);
    expect(await refuseWebhookUrl('https://93.184.216.34/hook', false)).toBeNull();
    expect(await refuseWebhookUrl('http://localhost:8080/hook', true)).toBeNull();
    expect(await refuseWebhookUrl('http://no-such-host.invalid/hook', false)).toMatch(/does not resolve/);
  });
});
