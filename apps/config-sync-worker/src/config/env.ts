import { IsBoolean, IsInt, Max, Min } from 'class-validator';
import { DEFAULT_PORTS } from '@livetranslate/contracts';
import { EnvBoolean, EnvNumber, PipelineEnv } from '@livetranslate/service-kit';

export class ConfigSyncEnv extends PipelineEnv {
  @EnvNumber()
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT: number = DEFAULT_PORTS.configSyncWorker;

  /** How often the model services' settings are read back and compared (one check per interval, cluster-wide). */
  @EnvNumber()
  @IsInt()
  @Min(100)
  CONFIG_CHECK_INTERVAL_MS = 30_000;

  /** Push the stored settings again when a model service drifted from them. */
  @EnvBoolean()
  @IsBoolean()
  CONFIG_AUTO_REMEDIATE = false;
}

export const CONFIG_SYNC_ENV = Symbol('CONFIG_SYNC_ENV');
