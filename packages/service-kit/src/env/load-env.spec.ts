import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IsInt, IsUrl, Min } from 'class-validator';
import { CommonEnv } from './common-env.js';
import { EnvBoolean, EnvList, EnvNumber } from './env-decorators.js';
import { declaredVariables, EnvValidationError, loadEnv } from './load-env.js';
import { IsBoolean, IsString, MinLength } from 'class-validator';

class ExampleEnv extends CommonEnv {
  @EnvNumber()
  @IsInt()
  @Min(1)
  PORT = 3000;

  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  AUDIO_SERVICE_URL = 'http://127.0.0.1:5001';

  @EnvBoolean()
  @IsBoolean()
  FEATURE = false;

  @EnvList()
  @IsString({ each: true })
  KEYS: string[] = [];
}

describe('loadEnv', () => {
  it('applies defaults, converts types and freezes the result', () => {
    const env = loadEnv(ExampleEnv, { PORT: '8080', FEATURE: 'yes', KEYS: 'a, b ,,c', UNRELATED: 'x' });
    expect(env).toMatchObject({
      PORT: 8080,
      FEATURE: true,
      KEYS: ['a', 'b', 'c'],
      LOG_LEVEL: 'log',
      AUDIO_SERVICE_URL: 'http://127.0.0.1:5001',
    });
    expect(Object.isFrozen(env)).toBe(true);
    expect(env).not.toHaveProperty('UNRELATED');
  });

  it('treats empty strings as unset', () => {
    expect(loadEnv(ExampleEnv, { PORT: '  ' }).PORT).toBe(3000);
  });

  it('reads ENV_FILE when told to, below the real environment, and names an unreadable one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lt-env-'));
    const file = join(dir, '.env');
    writeFileSync(file, '# generated\nPORT=4100\nLOG_LEVEL=debug\nHOST="127.0.0.2"\n');
    const env = loadEnv(ExampleEnv, { ENV_FILE: file, LOG_LEVEL: 'warn' });
    expect(env).toMatchObject({ PORT: 4100, LOG_LEVEL: 'warn', HOST: '127.0.0.2' });
    // Without ENV_FILE no file is read, whatever lies in the working directory.
    expect(loadEnv(ExampleEnv, {}).PORT).toBe(3000);
    expect(() => loadEnv(ExampleEnv, { ENV_FILE: join(dir, 'missing.env') })).toThrow(
      /ENV_FILE .*missing\.env/,
    );
    rmSync(dir, { recursive: true });
  });

  it('names every bad variable and its value', () => {
    try {
      loadEnv(ExampleEnv, {
        PORT: 'abc',
        LOG_LEVEL: 'chatty',
        FEATURE: 'perhaps',
        AUDIO_SERVICE_URL: 'ftp://x',
      });
      throw new Error('expected EnvValidationError');
    } catch (error) {
      expect(error).toBeInstanceOf(EnvValidationError);
      const message = (error as Error).message;
      expect(message).toContain('PORT ("abc")');
      expect(message).toContain('LOG_LEVEL ("chatty")');
      expect(message).toContain('FEATURE ("perhaps")');
      expect(message).toContain('AUDIO_SERVICE_URL ("ftp://x")');
      expect((error as EnvValidationError).problems).toHaveLength(4);
    }
  });

  it('names a bad secret variable without printing its value', () => {
    class SecretEnv extends ExampleEnv {
      @IsString({ each: true })
      @MinLength(40, { each: true })
      API_KEYS: string[] = [];
    }
    const problems = (() => {
      try {
        loadEnv(SecretEnv, { API_KEYS: 'hunter2-the-secret' });
        return [];
      } catch (error) {
        return (error as EnvValidationError).problems;
      }
    })();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^API_KEYS \(set, value hidden\): /);
    expect(problems[0]).not.toContain('hunter2');
  });

  it('lists the variables a config class reads', () => {
    expect(declaredVariables(ExampleEnv)).toEqual(
      [
        'AUDIO_SERVICE_URL',
        'FEATURE',
        'HOST',
        'HTTP_HEADERS_TIMEOUT_MS',
        'HTTP_REQUEST_TIMEOUT_MS',
        'KEYS',
        'LOG_FORMAT',
        'LOG_LEVEL',
        'NODE_ENV',
        'PORT',
        'SHUTDOWN_GRACE_MS',
      ].sort(),
    );
  });
});
