import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ScaledObject, TriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import {
  CONSUMER_GROUPS,
  DEFAULT_KEY_PREFIX,
  DEFAULT_PORTS,
  DEFAULT_STREAMS,
  partitionedStreams,
  QUEUE_NAMES,
  queueWaitingKey,
} from '@livetranslate/contracts';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';
import { APPS, RUN_AS_USER, APP_DRAIN_SECONDS, PRE_STOP_SECONDS } from '../src/catalogue.js';
import { renderBase } from '../src/render.js';
import { TEMPLATE_VARS } from './env-template.js';

const k8s = fileURLToPath(new URL('../k8s/', import.meta.url));
const OVERLAYS = ['dev', 'prod'] as const;

type Doc = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
} & Record<string, unknown>;

function render(overlay: string): Doc[] {
  const text = execFileSync('kubectl', ['kustomize', `${k8s}overlays/${overlay}`], { encoding: 'utf8' });
  return parseAllDocuments(text).map((d) => {
    const doc = d.toJSON() as Doc;
    // kustomize wraps long base64 values over lines, which the API server accepts; the schema's
    // `byte` format does not.
    if (doc.kind === 'Secret' && doc.data) {
      for (const [k, v] of Object.entries(doc.data as Record<string, string>))
        (doc.data as Record<string, string>)[k] = v.replace(/\s+/g, '');
    }
    return doc;
  });
}

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Namespace': Namespace,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'networking.k8s.io/v1/Ingress': Ingress,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject,
  'keda.sh/v1alpha1/TriggerAuthentication': TriggerAuthentication,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
};
/** Custom resources without a schema package that runs on Node 20: checked by shape below. */
const WITHOUT_SCHEMA = new Set(['external-secrets.io/v1beta1/ExternalSecret']);

/** Set by Kubernetes or the image for the process, not app settings. */
const PLATFORM_VARS = new Set(['POD_NAME', 'HOME']);

describe('deploy/k8s', () => {
  const rendered = Object.fromEntries(OVERLAYS.map((o) => [o, render(o)])) as Record<string, Doc[]>;

  it('holds exactly what the generator writes (edit deploy/src, then run generate)', () => {
    for (const [path, text] of Object.entries(renderBase())) {
      expect({ path, text: readFileSync(`${k8s}${path}`, 'utf8') }).toEqual({ path, text });
    }
  });

  it.each(OVERLAYS)('%s: every object validates against its schema', (overlay) => {
    for (const doc of rendered[overlay]!) {
      const key = `${doc.apiVersion}/${doc.kind}`;
      if (WITHOUT_SCHEMA.has(key)) {
        expect(doc.spec).toMatchObject({ secretStoreRef: expect.any(Object), target: expect.any(Object) });
        continue;
      }
      const Model = MODELS[key];
      if (!Model) throw new Error(`${overlay}: no schema for ${key} (${doc.metadata.name})`);
      expect(() => new Model(doc as never).validate()).not.toThrow();
    }
  });

  it.each(OVERLAYS)(
    '%s: every workload meets the restricted profile, with probes, resources and a PDB',
    (overlay) => {
      const docs = rendered[overlay]!;
      const deployments = docs.filter((d) => d.kind === 'Deployment');
      expect(deployments.length).toBeGreaterThanOrEqual(overlay === 'dev' ? 8 : 5);
      const autoscaled = new Set(
        docs
          .filter((d) => d.kind === 'HorizontalPodAutoscaler' || d.kind === 'ScaledObject')
          .map((d) => d.spec.scaleTargetRef.name as string),
      );
      for (const deployment of deployments) {
        const name = deployment.metadata.name;
        const pod = deployment.spec.template.spec;
        expect({ name, pod: pod.securityContext }).toMatchObject({
          name,
          pod: {
            runAsNonRoot: true,
            runAsUser: expect.any(Number),
            seccompProfile: { type: 'RuntimeDefault' },
          },
        });
        expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
        expect(pod.automountServiceAccountToken).toBe(false);
        expect(
          docs.some((d) => d.kind === 'ServiceAccount' && d.metadata.name === pod.serviceAccountName),
        ).toBe(true);
        for (const c of pod.containers) {
          expect({ name, security: c.securityContext }).toEqual({
            name,
            security: {
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              capabilities: { drop: ['ALL'] },
            },
          });
          for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
            expect({ name, probe, timeout: c[probe]?.timeoutSeconds }).toEqual({
              name,
              probe,
              timeout: expect.any(Number),
            });
            expect(c[probe].timeoutSeconds).toBeGreaterThanOrEqual(2);
          }
          expect(c.resources.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
          expect(c.resources.limits).toMatchObject({ memory: expect.any(String) });
          // Read-only root: /tmp is an emptyDir.
          const tmp = c.volumeMounts?.find((m: { mountPath: string }) => m.mountPath === '/tmp');
          expect({ name, tmp: Boolean(tmp) }).toEqual({ name, tmp: true });
        }
        const selector = deployment.spec.selector.matchLabels;
        const pdb = docs.find(
          (d) =>
            d.kind === 'PodDisruptionBudget' &&
            JSON.stringify(d.spec.selector.matchLabels) === JSON.stringify(selector),
        );
        expect({ name, pdb: Boolean(pdb) }).toEqual({ name, pdb: true });
        expect(docs.some((d) => d.kind === 'NetworkPolicy' && d.metadata.name === name)).toBe(true);
        if (name !== 'redis') {
          expect(docs.some((d) => d.kind === 'ServiceMonitor' && d.metadata.name === name)).toBe(true);
        }
        // An autoscaler owns the count: a `replicas:` would fight it on every apply.
        if (autoscaled.has(name))
          expect({ name, replicas: deployment.spec.replicas }).toEqual({ name, replicas: undefined });
      }
    },
  );

  it('lets every app drain: preStop, then a grace period longer than its drain', () => {
    for (const deployment of rendered.prod!.filter((d) => d.kind === 'Deployment')) {
      const pod = deployment.spec.template.spec;
      expect(pod.containers[0].lifecycle.preStop).toBeDefined();
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(PRE_STOP_SECONDS + APP_DRAIN_SECONDS);
      // The app gives up on its drain before Kubernetes kills it mid-drain.
      const drain = pod.containers[0].env.find((e: { name: string }) => e.name === 'SHUTDOWN_GRACE_MS');
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(
        PRE_STOP_SECONDS + Number(drain.value) / 1000,
      );
      expect(pod.securityContext.runAsUser).toBe(RUN_AS_USER);
    }
  });

  it('scales on names the code uses: streams, groups, queue keys, ports', () => {
    const docs = rendered.prod!;
    const pipeline = docs.find(
      (d) => d.kind === 'ScaledObject' && d.metadata.name === 'audio-pipeline-worker',
    )!;
    const triggers = pipeline.spec.triggers as Array<{
      metadata: Record<string, string>;
      authenticationRef: { name: string };
    }>;
    // Pending and lag on every ingest partition the apps publish to (the ConfigMap's count).
    const config = rendered.prod!.find((d) => d.kind === 'ConfigMap')!;
    const partitions = Number((config.data as Record<string, string>).AUDIO_INGEST_PARTITIONS);
    expect(partitions).toBeGreaterThan(1);
    const streams = partitionedStreams(DEFAULT_STREAMS.audioIngest, partitions);
    expect(
      triggers.map((t) => [
        t.metadata.stream,
        Object.keys(t.metadata).find((k) => k.endsWith('Count') && !k.startsWith('activation')),
      ]),
    ).toEqual(
      streams.flatMap((stream) => [
        [stream, 'pendingEntriesCount'],
        [stream, 'lagCount'],
      ]),
    );
    for (const t of triggers) expect(t.metadata.consumerGroup).toBe(CONSUMER_GROUPS.audioPipeline);
    // KEDA takes the largest ask: per-partition targets are shares of the per-replica ones.
    const pending = triggers.map((t) => Number(t.metadata.pendingEntriesCount)).filter(Boolean);
    expect(pending.every((n) => n * partitions <= 16 + partitions)).toBe(true);
    const bots = docs.find((d) => d.kind === 'ScaledObject' && d.metadata.name === 'bot-worker')!;
    expect(bots.spec.minReplicaCount).toBeGreaterThanOrEqual(1);
    expect(bots.spec.triggers[0].metadata.listName).toBe(
      queueWaitingKey(DEFAULT_KEY_PREFIX, QUEUE_NAMES.botLifecycle),
    );
    // Every trigger authenticates through the TriggerAuthentication on the Redis Secret.
    const auth = docs.find((d) => d.kind === 'TriggerAuthentication')!;
    for (const scaled of docs.filter((d) => d.kind === 'ScaledObject')) {
      for (const t of scaled.spec.triggers) expect(t.authenticationRef.name).toBe(auth.metadata.name);
    }
    const refs = auth.spec.secretTargetRef as Array<{ parameter: string; name: string }>;
    expect(refs.map((r) => r.parameter).sort()).toEqual(['address', 'password', 'tls', 'username']);
    // Ports are the contracts' defaults.
    const ports = Object.values(DEFAULT_PORTS) as number[];
    for (const d of rendered.dev!.filter((x) => x.kind === 'Deployment' && x.metadata.name !== 'redis')) {
      expect(ports).toContain(d.spec.template.spec.containers[0].ports[0].containerPort);
    }
  });

  it('passes only variables the apps know, and secrets by reference', () => {
    for (const overlay of OVERLAYS) {
      for (const doc of rendered[overlay]!) {
        if (doc.kind === 'ConfigMap') {
          for (const name of Object.keys(doc.data as object))
            expect({ overlay, name, known: TEMPLATE_VARS.has(name) }).toEqual({ overlay, name, known: true });
        }
        if (doc.kind !== 'Deployment' || doc.metadata.name === 'redis') continue;
        for (const c of doc.spec.template.spec.containers) {
          for (const env of c.env ?? []) {
            expect({
              name: env.name,
              known: TEMPLATE_VARS.has(env.name) || PLATFORM_VARS.has(env.name),
            }).toEqual({
              name: env.name,
              known: true,
            });
            // Secrets only through secretKeyRef: never a literal credential in a manifest.
            if (/REDIS_URL|API_KEY/.test(env.name)) expect(env.valueFrom?.secretKeyRef).toBeDefined();
          }
        }
      }
    }
    // prod generates no Secret; dev generates the three the apps reference.
    expect(rendered.prod!.filter((d) => d.kind === 'Secret')).toEqual([]);
    expect(rendered.dev!.filter((d) => d.kind === 'Secret')).toHaveLength(3);
  });

  it('deploys every app: the platform in base, the mocks in the dev overlay', () => {
    const names = (docs: Doc[]) => docs.filter((d) => d.kind === 'Deployment').map((d) => d.metadata.name);
    expect(names(rendered.dev!).sort()).toEqual([...APPS.map((a) => a.name), 'redis'].sort());
    expect(names(rendered.prod!).sort()).toEqual(
      APPS.filter((a) => a.role !== 'mock')
        .map((a) => a.name)
        .sort(),
    );
  });

  it.each(OVERLAYS)(
    '%s: the Ingress routes /api, /ws and /docs to the gateway, never /metrics',
    (overlay) => {
      const ingress = rendered[overlay]!.find((d) => d.kind === 'Ingress')!;
      const paths = ingress.spec.rules.flatMap((r: { http: { paths: Array<{ path: string }> } }) =>
        r.http.paths.map((p) => p.path),
      );
      expect(paths.sort()).toEqual(['/api', '/docs', '/ws']);
      // WebSocket reads idle up to the ping interval (30 s): the proxy's timeout is far above it.
      expect(
        Number(ingress.metadata.annotations!['nginx.ingress.kubernetes.io/proxy-read-timeout']),
      ).toBeGreaterThan(30);
    },
  );
});
