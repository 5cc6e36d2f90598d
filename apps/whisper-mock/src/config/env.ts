import { IsInt, Max, Min } from 'class-validator';
import { EnvNumber, MockEnv } from '@livetranslate/service-kit';

/** The Whisper service's default port. */
export const WHISPER_MOCK_PORT = 5001;

export class WhisperMockEnv extends MockEnv {
  @EnvNumber()
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT = WHISPER_MOCK_PORT;

  /** Largest audio upload accepted, in bytes. */
  @EnvNumber()
  @IsInt()
  @Min(1024)
  MAX_AUDIO_BYTES = 50 * 1024 * 1024;
}

export const WHISPER_ENV = Symbol('WHISPER_ENV');
