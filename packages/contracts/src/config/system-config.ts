import { createHash } from 'node:crypto';
import { plainToInstance, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  validateSync,
  ValidateNested,
  ValidatorConstraint,
  Validate,
  type ValidationError,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';

const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z]{2,4})?$/;

/** overlap_ms may be at most half of chunk_ms (the session rule), checked where both are known. */
@ValidatorConstraint({ name: 'overlapAtMostHalfChunk' })
class OverlapAtMostHalfChunk implements ValidatorConstraintInterface {
  validate(overlap: unknown, args: ValidationArguments): boolean {
    const chunk = (args.object as { chunk_ms?: unknown }).chunk_ms;
    return typeof overlap !== 'number' || typeof chunk !== 'number' || overlap * 2 <= chunk;
  }

  defaultMessage(args: ValidationArguments): string {
    return `overlap_ms (${String(args.value)}) must be at most half of chunk_ms`;
  }
}

/** How new sessions cut their audio (a session keeps what it started with). */
export class ChunkingConfig {
  @IsInt()
  @Min(500)
  @Max(10_000)
  chunk_ms!: number;

  @IsInt()
  @Min(0)
  @Max(2_000)
  @Validate(OverlapAtMostHalfChunk)
  overlap_ms!: number;
}

/** What the Whisper service is told, in its own config keys. */
export class WhisperServiceConfig {
  @IsString()
  @MaxLength(64)
  default_model!: string;

  @IsString()
  @MaxLength(16)
  default_language!: string;

  @IsBoolean()
  enable_vad!: boolean;

  @IsBoolean()
  enable_diarization!: boolean;

  @IsInt()
  @Min(1)
  @Max(10)
  beam_size!: number;
}

/** What the translation service is told (its own keys), plus the default target languages. */
export class TranslationServiceConfig {
  @IsString()
  @MaxLength(64)
  default_model!: string;

  @IsNumber()
  @Min(0)
  @Max(2)
  temperature!: number;

  @IsInt()
  @Min(1)
  @Max(4096)
  max_tokens!: number;

  @IsArray()
  @ArrayMaxSize(8)
  @Matches(LANGUAGE, { each: true, message: 'each default target language must be an ISO 639-1 code' })
  default_target_languages!: string[];
}

/** Limits applied at run time. */
export class LimitsConfig {
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  max_open_sessions_per_tenant!: number;

  @IsInt()
  @Min(1)
  @Max(1_000)
  max_chunks_per_second!: number;

  @IsInt()
  @Min(1_024)
  @Max(1_073_741_824)
  max_upload_bytes!: number;
}

export class TenantTranslationDefaults {
  @IsArray()
  @ArrayMaxSize(8)
  @Matches(LANGUAGE, { each: true, message: 'each default target language must be an ISO 639-1 code' })
  default_target_languages!: string[];
}

/** What a tenant may set differently from the global document: any part of these sections. */
export class TenantOverrides {
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ChunkingConfig)
  chunking?: ChunkingConfig;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => TenantTranslationDefaults)
  translation?: TenantTranslationDefaults;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => LimitsConfig)
  limits?: LimitsConfig;
}

/**
 * The system's one configuration document: what the system does (the environment only says how an
 * app runs). Versions of it are immutable, numbered and checksummed.
 */
export class SystemConfig {
  @IsObject()
  @ValidateNested()
  @Type(() => ChunkingConfig)
  chunking!: ChunkingConfig;

  @IsObject()
  @ValidateNested()
  @Type(() => WhisperServiceConfig)
  whisper!: WhisperServiceConfig;

  @IsObject()
  @ValidateNested()
  @Type(() => TranslationServiceConfig)
  translation!: TranslationServiceConfig;

  @IsObject()
  @ValidateNested()
  @Type(() => LimitsConfig)
  limits!: LimitsConfig;

  /** Tenant id → overrides. */
  @IsObject()
  tenants!: Record<string, TenantOverrides>;
}

/** The original system's presets, applicable by name (chunk / overlap). */
export const CONFIG_PRESETS = {
  exact_whisper_match: { chunk_ms: 3_000, overlap_ms: 200 },
  optimized_performance: { chunk_ms: 2_500, overlap_ms: 300 },
  high_accuracy: { chunk_ms: 4_000, overlap_ms: 800 },
  real_time_optimized: { chunk_ms: 2_000, overlap_ms: 200 },
} as const satisfies Record<string, ChunkingConfig>;
export type ConfigPreset = keyof typeof CONFIG_PRESETS;

/** JSON with object keys sorted at every level: the same document always has the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 (hex) of the canonical JSON. */
export function configChecksum(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/** RFC 7396 JSON Merge Patch: objects merge, `null` deletes, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> =
    target && typeof target === 'object' && !Array.isArray(target)
      ? { ...(target as Record<string, unknown>) }
      : {};
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

export type ConfigValidation<T> = { ok: true; value: T } | { ok: false; errors: string[] };

const TENANT_ID = /^[A-Za-z0-9_.-]{1,64}$/;

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = `${prefix}${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) =>
      message.startsWith(error.property) ? `${prefix}${message}` : `${path}: ${message}`,
    );
    return [...own, ...flatten(error.children ?? [], `${path}.`)];
  });
}

function check<T extends object>(cls: new () => T, plain: unknown, prefix = ''): ConfigValidation<T> {
  if (!plain || typeof plain !== 'object' || Array.isArray(plain)) {
    return { ok: false, errors: [`${prefix || 'configuration'} must be an object`] };
  }
  const instance = plainToInstance(cls, plain);
  const errors = validateSync(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
  });
  return errors.length ? { ok: false, errors: flatten(errors, prefix) } : { ok: true, value: instance };
}

/** Checks a whole document; every rule breach is named by its dotted path (`chunking.overlap_ms: …`). */
export function validateSystemConfig(plain: unknown): ConfigValidation<SystemConfig> {
  const checked = check(SystemConfig, plain);
  const errors = checked.ok ? [] : [...checked.errors];
  const tenants = (plain as { tenants?: unknown } | null)?.tenants;
  if (tenants && typeof tenants === 'object' && !Array.isArray(tenants)) {
    for (const [tenant, overrides] of Object.entries(tenants as Record<string, unknown>)) {
      if (!TENANT_ID.test(tenant)) errors.push(`tenants.${tenant}: not a tenant id`);
      const result = validateTenantOverrides(overrides, `tenants.${tenant}.`);
      if (!result.ok) errors.push(...result.errors);
    }
  }
  if (errors.length) return { ok: false, errors };
  // Plain data again (instances would carry class prototypes into JSON and checksums).
  return { ok: true, value: JSON.parse(JSON.stringify(plain)) as SystemConfig };
}

export function validateTenantOverrides(plain: unknown, prefix = ''): ConfigValidation<TenantOverrides> {
  const checked = check(TenantOverrides, plain, prefix);
  return checked.ok ? { ok: true, value: JSON.parse(JSON.stringify(plain)) as TenantOverrides } : checked;
}

/** The document a tenant's sessions and limits follow: the global one with its overrides over it. */
export function effectiveConfig(config: SystemConfig, tenantId: string): Omit<SystemConfig, 'tenants'> {
  const overrides = config.tenants[tenantId] ?? {};
  return {
    chunking: { ...config.chunking, ...overrides.chunking },
    whisper: config.whisper,
    translation: { ...config.translation, ...overrides.translation },
    limits: { ...config.limits, ...overrides.limits },
  };
}

/** The defaults of version 1, before the environment's limits are laid over them. */
export const DEFAULT_SYSTEM_CONFIG: Readonly<SystemConfig> = Object.freeze({
  chunking: { chunk_ms: 3_000, overlap_ms: 500 },
  whisper: {
    default_model: 'whisper-base',
    default_language: 'auto',
    enable_vad: true,
    enable_diarization: false,
    beam_size: 5,
  },
  translation: {
    default_model: 'dictionary-v1',
    temperature: 0,
    max_tokens: 1024,
    default_target_languages: [],
  },
  limits: {
    max_open_sessions_per_tenant: 100,
    max_chunks_per_second: 10,
    max_upload_bytes: 50 * 1024 * 1024,
  },
  tenants: {},
});
