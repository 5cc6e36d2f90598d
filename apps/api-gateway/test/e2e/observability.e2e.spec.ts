import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { speechWav } from './support/audio-fixtures.js';
import { Stack } from './support/stack.js';

const dir = fileURLToPath(new URL('../../../../deploy/observability/', import.meta.url));
const METRIC = /\blivetranslate_[a-z0-9_]+/g;

/** Metric names a scrape exposes: each family's name, and a histogram's _bucket, _sum and _count. */
function exposedNames(scrape: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of scrape.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name!);
    if (type === 'histogram' || type === 'summary')
      for (const s of ['_bucket', '_sum', '_count']) names.add(`${name}${s}`);
  }
  return names;
}

function ruleExpressions(): Array<{ alert: string; expr: string }> {
  // The rules file is YAML; its expressions are the `expr:` scalars (plain or folded `>-`).
  const lines = readFileSync(`${dir}alerts.yml`, 'utf8').split('\n');
  const out: Array<{ alert: string; expr: string }> = [];
  let alert = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const named = line.match(/- alert: (\S+)/);
    if (named) alert = named[1]!;
    const expr = line.match(/^(\s*)expr: (.*)$/);
    if (!expr) continue;
    let text = expr[2]!;
    if (text === '>-' || text === '>') {
      const body: string[] = [];
      while (lines[i + 1] && lines[i + 1]!.search(/\S/) > expr[1]!.length) body.push(lines[++i]!.trim());
      text = body.join(' ');
    }
    out.push({ alert, expr: text });
  }
  return out;
}

describe('dashboards and alerts, checked against the running apps', () => {
  let stack: Stack | undefined;
  afterAll(async () => stack?.stop());

  it('the alert rules pass promtool', async () => {
    const { stdout } = await promisify(execFile)('promtool', ['check', 'rules', `${dir}alerts.yml`]);
    expect(stdout).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('every metric a rule or a panel names is exposed by some app', async () => {
    stack = await Stack.start();
    await Promise.all([
      stack.addBotWorker('bots-1'),
      stack.addConfigSyncWorker('config-1'),
      stack.addMonitoringWorker('monitor-1', { MONITOR_INTERVAL_MS: '250' }),
    ]);
    // Some traffic, so every app has touched its metrics.
    const client = stack.client();
    const session = await client.createSession({ target_languages: ['es'] });
    await client.sendChunk(session.session_id, speechWav());
    const apps = [...stack.gateways, ...stack.workers, ...stack.botWorkers];
    const exposed = new Set<string>();
    for (const app of apps)
      for (const name of exposedNames(await (await fetch(`${app.url}/metrics`)).text())) exposed.add(name);
    // Each app family is named once, in one scheme.
    expect([...exposed].filter((n) => !/^(livetranslate_|process_|nodejs_)/.test(n))).toEqual([]);

    const rules = ruleExpressions();
    expect(rules.length).toBeGreaterThanOrEqual(10);
    const dashboard = JSON.parse(readFileSync(`${dir}grafana-dashboard.json`, 'utf8')) as {
      panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
    };
    const panels = dashboard.panels.flatMap((p) =>
      p.targets.map((t) => ({ alert: `panel "${p.title}"`, expr: t.expr })),
    );
    expect(panels.length).toBeGreaterThan(10);
    const missing: string[] = [];
    for (const { alert, expr } of [...rules, ...panels]) {
      const names = expr.match(METRIC) ?? [];
      if (names.length === 0) missing.push(`${alert}: names no livetranslate_ metric`);
      for (const name of names) if (!exposed.has(name)) missing.push(`${alert}: ${name}`);
    }
    expect(missing).toEqual([]);
  });
});
