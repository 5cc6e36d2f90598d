import { IsInt, Max, Min } from 'class-validator';
import { DEFAULT_PORTS } from '@livetranslate/contracts';
import { EnvNumber, MockEnv } from '@livetranslate/service-kit';

export class WhisperMockEnv extends MockEnv {
  @EnvNumber()
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT: number = DEFAULT_PORTS.whisper;

  /** Largest audio upload accepted, in bytes. */
  @EnvNumber()
  @IsInt()
  @Min(1024)
  MAX_AUDIO_BYTES = 50 * 1024 * 1024;
}
