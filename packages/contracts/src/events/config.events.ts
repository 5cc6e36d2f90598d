import { IsArray, IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, Min } from 'class-validator';

export class ConfigUpdateRequested {
  /** Partial configuration, merged over the current version. */
  @IsObject()
  changes!: Record<string, unknown>;

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

  @IsString()
  @IsNotEmpty()
  requested_by!: string;

  @IsOptional()
  @IsString()
  reason?: string;
}
