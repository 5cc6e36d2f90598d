import { IsInt, Max, Min } from 'class-validator';
import { DEFAULT_PORTS } from '@livetranslate/contracts';
import { EnvNumber, MockEnv } from '@livetranslate/service-kit';

export class TranslationMockEnv extends MockEnv {
  @EnvNumber()
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT: number = DEFAULT_PORTS.translation;
}
