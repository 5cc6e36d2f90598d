import { hostname } from 'node:os';

/** Variables that name this consumer, most specific first. Kubernetes sets HOSTNAME to the pod name. */
export const CONSUMER_NAME_ENV_VARS = ['CONSUMER_NAME', 'POD_NAME', 'HOSTNAME'] as const;

/**
 * The consumer name must be stable across restarts of the same pod, so a restarted pod picks up its
 * own pending entries at once instead of stranding them until another consumer reclaims them.
 */
export function resolveConsumerName(env: Readonly<Record<string, string | undefined>> = process.env): string {
  for (const name of CONSUMER_NAME_ENV_VARS) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  return hostname();
}
