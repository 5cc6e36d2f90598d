import {
  canonicalJson,
  configChecksum,
  CONFIG_PRESETS,
  DEFAULT_SYSTEM_CONFIG,
  effectiveConfig,
  mergePatch,
  validateSystemConfig,
  type SystemConfig,
} from './system-config.js';

const SAMPLE_CONFIG: SystemConfig = {
  ...structuredClone(DEFAULT_SYSTEM_CONFIG),
  tenants: { acme: { chunking: { chunk_ms: 2000, overlap_ms: 200 } } },
};

describe('SystemConfig', () => {
  it('accepts a whole, valid document', () => {
    expect(validateSystemConfig(SAMPLE_CONFIG)).toEqual({ ok: true, value: SAMPLE_CONFIG });
  });

  it('names every breached rule by its dotted path', () => {
    const bad = mergePatch(SAMPLE_CONFIG, {
      chunking: { chunk_ms: 1000, overlap_ms: 600 },
      translation: { temperature: 3, max_tokens: 0 },
      tenants: { acme: { limits: { max_chunks_per_second: 0 } } },
      extra: true,
    });
    const result = validateSystemConfig(bad);
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors.join('\n');
    expect(errors).toContain('chunking.overlap_ms');
    expect(errors).toContain('translation.temperature');
    expect(errors).toContain('translation.max_tokens');
    expect(errors).toContain('tenants.acme.limits');
    expect(errors).toContain('extra');
  });

  it('has a checksum of its canonical JSON: key order does not matter', () => {
    const { tenants, ...rest } = SAMPLE_CONFIG;
    const reordered = JSON.parse(JSON.stringify({ tenants, ...rest })) as SystemConfig;
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}',
    );
    expect(configChecksum(reordered)).toBe(configChecksum(SAMPLE_CONFIG));
    expect(configChecksum(SAMPLE_CONFIG)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('merges patches as RFC 7396 says: objects merge, null deletes, arrays replace', () => {
    expect(mergePatch({ a: { b: 1, c: 2 }, d: [1, 2] }, { a: { c: null, e: 3 }, d: [3] })).toEqual({
      a: { b: 1, e: 3 },
      d: [3],
    });
  });

  it('lets a tenant override chunking, translation defaults and limits', () => {
    expect(effectiveConfig(SAMPLE_CONFIG, 'acme').chunking).toEqual({ chunk_ms: 2000, overlap_ms: 200 });
    expect(effectiveConfig(SAMPLE_CONFIG, 'globex').chunking).toEqual(SAMPLE_CONFIG.chunking);
  });

  it('has the original presets, each a valid chunking', () => {
    for (const chunking of Object.values(CONFIG_PRESETS)) {
      expect(validateSystemConfig({ ...SAMPLE_CONFIG, chunking }).ok).toBe(true);
    }
  });
});
