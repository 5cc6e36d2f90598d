import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

// Addresses a webhook must not reach from inside the cluster: loopback, private, link-local (cloud
// metadata lives at 169.254.169.254), carrier-grade NAT, unspecified, multicast and reserved.
const BLOCKED = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const)
  BLOCKED.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  BLOCKED.addSubnet(network, prefix, 'ipv6');

/** Whether an IP address is one a webhook may not reach (IPv4-mapped IPv6 judged as its IPv4). */
export function isBlockedAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return BLOCKED.check(mapped, 'ipv4');
  return BLOCKED.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

/**
 * Why a webhook URL is refused, or null when it may be called: http(s) only, no credentials in it,
 * and (unless `allowPrivate`) every address its host resolves to is public. Checked when a session
 * or bot is created and again before each delivery (DNS may have changed in between).
 */
export async function refuseWebhookUrl(raw: string, allowPrivate: boolean): Promise<string | null> {
  const url = URL.parse(raw);
  if (!url || !/^https?:$/.test(url.protocol)) return 'webhook_url must be an http:// or https:// URL';
  if (url.username || url.password) return 'webhook_url must not carry credentials';
  if (allowPrivate) return null;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    return `webhook_url host ${host} does not resolve`;
  }
  const blocked = addresses.find(isBlockedAddress);
  return blocked
    ? `webhook_url resolves to ${blocked}, a loopback, private or link-local address (WEBHOOK_ALLOW_PRIVATE=true allows it)`
    : null;
}
