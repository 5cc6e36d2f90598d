import type { BodyPolicies } from '@livetranslate/service-kit';
import type { GatewayEnv } from './env.js';

const AUDIO_TYPES = ['audio/*', 'application/octet-stream', 'multipart/form-data'];
const JSON_PATCH_TYPES = ['application/json', 'application/merge-patch+json'];

/** What each gateway route takes as a body; every other route takes JSON up to MAX_JSON_BYTES. */
export function gatewayBodyPolicies(env: GatewayEnv): BodyPolicies {
  return {
    defaultLimit: env.MAX_JSON_BYTES,
    routes: [
      { method: 'POST', url: '/api/sessions/:id/audio', limit: env.MAX_CHUNK_BYTES, types: AUDIO_TYPES },
      { method: 'POST', url: '/api/audio/upload', limit: env.MAX_UPLOAD_BYTES, types: AUDIO_TYPES },
      { method: 'POST', url: '/v1/audio/transcriptions', limit: env.MAX_UPLOAD_BYTES, types: AUDIO_TYPES },
      { method: 'POST', url: '/v1/audio/translations', limit: env.MAX_UPLOAD_BYTES, types: AUDIO_TYPES },
      { method: 'PATCH', url: '/api/config', limit: env.MAX_JSON_BYTES, types: JSON_PATCH_TYPES },
      {
        method: 'PATCH',
        url: '/api/tenants/:tenant/config',
        limit: env.MAX_JSON_BYTES,
        types: JSON_PATCH_TYPES,
      },
    ],
  };
}
