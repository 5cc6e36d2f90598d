import { DEFAULT_SYSTEM_CONFIG, type SystemConfig } from '@livetranslate/contracts';
import type { BusEnv } from '../env/platform-env.js';

/**
 * Version 1 of the configuration from this app's environment: the built-in defaults with the
 * environment's limits over them. Used only while nothing is stored; after that the stored
 * configuration wins.
 */
export function seedConfigOf(env: BusEnv): SystemConfig {
  const vars = env as BusEnv & {
    MAX_OPEN_SESSIONS_PER_TENANT?: number;
    MAX_CHUNKS_PER_SECOND?: number;
    MAX_UPLOAD_BYTES?: number;
  };
  const limits = DEFAULT_SYSTEM_CONFIG.limits;
  return {
    ...structuredClone(DEFAULT_SYSTEM_CONFIG),
    limits: {
      max_open_sessions_per_tenant: vars.MAX_OPEN_SESSIONS_PER_TENANT ?? limits.max_open_sessions_per_tenant,
      max_chunks_per_second: vars.MAX_CHUNKS_PER_SECOND ?? limits.max_chunks_per_second,
      max_upload_bytes: vars.MAX_UPLOAD_BYTES ?? limits.max_upload_bytes,
    },
  };
}
