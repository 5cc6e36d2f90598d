import { randomUUID } from 'node:crypto';
import type { AudioChunkReceived } from '@livetranslate/contracts';

export function chunkPayload(seq = 0, sessionId = `s-${randomUUID().slice(0, 8)}`): AudioChunkReceived {
  return {
    session_id: sessionId,
    chunk_id: `${sessionId}:${seq}`,
    seq,
    tenant_id: 'tenant-a',
    source_type: 'websocket',
    storage_uri: `redis://audio:{${sessionId}}:${seq}`,
    content_type: 'audio/L16;rate=16000',
    audio_config: { sample_rate: 16000, channels: 1, encoding: 'pcm_s16le' },
    start_ms: seq * 3000,
    duration_ms: 3000,
    processing_flags: { transcribe: true, diarize: false, translate: true, target_languages: ['es'] },
  };
}
