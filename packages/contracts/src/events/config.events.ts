import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Min,
} from 'class-validator';

export class ConfigUpdateRequested {
  /** Partial configuration, merged over the current version (RFC 7396). */
  @IsObject()
  changes!: Record<string, unknown>;

  /** Additive: names the request, so its outcome can be read back. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  request_id?: string;

  /** Additive: the version the change was made against; a different current version rejects it. */
  @IsOptional()
  @IsInt()
  @Min(0)
  base_version?: number;

  /** Additive: a whole document to replace the current one with (then `changes` is empty). */
  @IsOptional()
  @IsObject()
  document?: Record<string, unknown>;

  /** Additive: `changes` are this tenant's overrides (merged, or replacing them with `replace`). */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  tenant_id?: string;

  @IsOptional()
  @IsBoolean()
  replace?: boolean;

  /** Additive: apply this named chunking preset. */
  @IsOptional()
  @IsString()
  preset?: string;

  @IsString()
  @IsNotEmpty()
  requested_by!: string;

  @IsOptional()
  @IsString()
  reason?: string;
}

export class ConfigSnapshot {
  @IsInt()
  @Min(1)
  version!: number;

  /** sha256 of the canonical JSON of `config`. */
  @IsString()
  @IsNotEmpty()
  checksum!: string;

  @IsObject()
  config!: Record<string, unknown>;
}

export class ConfigDriftDetected {
  @IsString()
  @IsNotEmpty()
  service!: string;

  @IsInt()
  @Min(1)
  version!: number;

  @IsString()
  expected_checksum!: string;

  @IsString()
  actual_checksum!: string;

  /** Dotted paths of the settings that differ (`whisper.beam_size`). */
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  differences?: string[];

  /** Additive: `high` when a setting that changes processing time differs. */
  @IsOptional()
  @IsIn(['low', 'high'])
  severity?: 'low' | 'high';
}

export class ConfigRollbackRequested {
  @IsInt()
  @Min(1)
  to_version!: number;

  /** Additive: names the request, so its outcome can be read back. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  request_id?: string;

  @IsString()
  @IsNotEmpty()
  requested_by!: string;

  @IsOptional()
  @IsString()
  reason?: string;
}
