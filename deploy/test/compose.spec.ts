import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { REPO, TEMPLATE_VARS } from './env-template.js';
import { APPS } from '../src/catalogue.js';

type Service = {
  build?: { args?: Record<string, string>; target?: string };
  environment?: Record<string, string>;
  ports?: string[];
  profiles?: string[];
  depends_on?: Record<string, { condition: string }>;
};
const compose = parse(readFileSync(`${REPO}compose.local.yml`, 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};

describe('compose.local.yml', () => {
  it.each(APPS.map((a) => a.name))('%s: built from its bundle on its contract port', (name) => {
    const app = APPS.find((a) => a.name === name)!;
    const service = compose.services[name]!;
    expect(service.build).toMatchObject({ target: 'prod', args: { APP: name, PORT: String(app.port) } });
    for (const mapping of service.ports ?? []) expect(mapping.split(':')[1]).toBe(String(app.port));
    if (app.role === 'mock') expect(service.profiles).toEqual(['mocks']);
  });

  it('passes only variables the apps read, and names no consumer or fixed address', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      // Third-party servers (Redis, the open models, the observability stack) read their own variables.
      if (!APPS.some((a) => a.name === name)) continue;
      for (const variable of Object.keys(service.environment ?? {})) {
        expect({ name, variable, known: TEMPLATE_VARS.has(variable) }).toEqual({
          name,
          variable,
          known: true,
        });
      }
      // Fixed names would make `--scale` replicas share one consumer (and one probe address).
      expect(service.environment?.CONSUMER_NAME).toBeUndefined();
      expect(service.environment?.ADVERTISE_HOST).toBeUndefined();
    }
  });

  it('starts apps only once Redis is healthy, and never publishes Redis over a host one', () => {
    for (const app of APPS.filter((a) => a.role !== 'mock')) {
      expect(compose.services[app.name]!.depends_on?.redis).toEqual({ condition: 'service_healthy' });
    }
    expect(compose.services.redis!.ports).toBeUndefined();
  });

  it('mounts only files that exist, and Prometheus loads a config promtool accepts', () => {
    const volumes = Object.values(compose.services).flatMap(
      (s) => (s as { volumes?: string[] }).volumes ?? [],
    );
    const files = volumes.filter((v) => v.startsWith('./')).map((v) => v.split(':')[0]!);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files)
      expect({ file, exists: existsSync(`${REPO}${file}`) }).toEqual({ file, exists: true });
    const checked = execFileSync(
      'promtool',
      ['check', 'config', `${REPO}deploy/observability/prometheus.yml`],
      {
        encoding: 'utf8',
      },
    );
    expect(checked).toContain('SUCCESS');
  });

  it('scrapes every app on its contract port', () => {
    const prometheus = parse(readFileSync(`${REPO}deploy/observability/prometheus.yml`, 'utf8')) as {
      scrape_configs: Array<{ dns_sd_configs: Array<{ names: string[]; port: number }> }>;
    };
    const targets = prometheus.scrape_configs.flatMap((c) =>
      c.dns_sd_configs.map((d) => [d.names[0], d.port]),
    );
    expect(Object.fromEntries(targets)).toEqual(Object.fromEntries(APPS.map((a) => [a.name, a.port])));
  });
});
