import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { DEFAULT_PORTS } from '@livetranslate/contracts';
import { EnvBoolean, EnvList, EnvNumber, IngestEnv } from '@livetranslate/service-kit';

export const BOT_DRIVER_NAMES = ['simulated', 'browser'] as const;
export type BotDriverName = (typeof BOT_DRIVER_NAMES)[number];

export class BotWorkerEnv extends IngestEnv {
  @EnvNumber()
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT: number = DEFAULT_PORTS.botWorker;

  /** Bots this worker runs at once; more wait in `queued` and start in order as slots free. */
  @EnvNumber()
  @IsInt()
  @Min(1)
  @Max(500)
  MAX_CONCURRENT_BOTS = 10;

  /** Rejoins on a live worker after the one running a bot was lost, before it ends failed/worker_lost. */
  @EnvNumber()
  @IsInt()
  @Min(0)
  @Max(20)
  BOT_MAX_RECOVERY_ATTEMPTS = 3;

  /** How long a bot waits in the lobby to be admitted. */
  @EnvNumber()
  @IsInt()
  @Min(100)
  BOT_ADMISSION_TIMEOUT_MS = 300_000;

  /** How long an admitted bot may hear no audio at all. */
  @EnvNumber()
  @IsInt()
  @Min(100)
  BOT_NO_AUDIO_TIMEOUT_MS = 120_000;

  /** How long a bot stays once every other participant has left. */
  @EnvNumber()
  @IsInt()
  @Min(100)
  BOT_ALONE_TIMEOUT_MS = 60_000;

  /** Longest a bot stays in a meeting (the original system's 4 h meeting timeout). */
  @EnvNumber()
  @IsInt()
  @Min(1_000)
  BOT_MAX_DURATION_MS = 14_400_000;

  /** How long a bot's job outlives a worker that stopped renewing it before another worker takes over. */
  @EnvNumber()
  @IsInt()
  @Min(500)
  BOT_LOCK_MS = 30_000;

  /** How often a running bot records a sign of life on its record. */
  @EnvNumber()
  @IsInt()
  @Min(100)
  BOT_HEARTBEAT_MS = 5_000;

  /** How long a chunk waits for late captions before it is published without them. */
  @EnvNumber()
  @IsInt()
  @Min(0)
  @Max(10_000)
  BOT_CAPTION_TOLERANCE_MS = 2_000;

  /** Drivers this worker may use; unset: simulated and browser outside production, browser in production. */
  @IsOptional()
  @EnvList()
  @IsIn(BOT_DRIVER_NAMES, { each: true })
  BOT_DRIVERS?: BotDriverName[];

  /** The Chromium binary the browser driver starts (Debian's `chromium` on PATH by default). */
  @IsString()
  CHROMIUM_PATH = 'chromium';

  /** Accept meeting pages with untrusted certificates (a self-signed test page). Never in production. */
  @EnvBoolean()
  @IsBoolean()
  BOT_BROWSER_IGNORE_HTTPS_ERRORS = false;

  /** How often the browser driver reads the meeting page (lobby, call, captions, participants). */
  @EnvNumber()
  @IsInt()
  @Min(50)
  @Max(10_000)
  BOT_BROWSER_POLL_MS = 250;
}

/** The drivers enabled by BOT_DRIVERS, or by NODE_ENV when it is unset. */
export function enabledDrivers(env: BotWorkerEnv): readonly BotDriverName[] {
  if (env.BOT_DRIVERS?.length) return env.BOT_DRIVERS;
  return env.NODE_ENV === 'production' ? ['browser'] : BOT_DRIVER_NAMES;
}

export const BOT_WORKER_ENV = Symbol('BOT_WORKER_ENV');
