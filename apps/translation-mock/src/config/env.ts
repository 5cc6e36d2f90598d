import { IsInt, Max, Min } from 'class-validator';
import { EnvNumber, MockEnv } from '@livetranslate/service-kit';

/** The translation service's default port. */
export const TRANSLATION_MOCK_PORT = 5003;

export class TranslationMockEnv extends MockEnv {
  @EnvNumber()
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT = TRANSLATION_MOCK_PORT;
}
