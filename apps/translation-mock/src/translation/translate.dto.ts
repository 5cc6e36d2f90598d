import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export class TranslateRequest {
  @IsString()
  @IsNotEmpty()
  @MaxLength(10_000)
  text!: string;

  /** A supported language code, or `auto` to detect it. */
  @IsString()
  @IsNotEmpty()
  source_language!: string;

  @IsString()
  @IsNotEmpty()
  target_language!: string;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  model?: string;

  @IsOptional()
  @IsString()
  @MaxLength(128)
  session_id?: string;
}

export class DetectRequest {
  @IsString()
  @IsNotEmpty()
  @MaxLength(10_000)
  text!: string;
}
