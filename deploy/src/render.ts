import { DEFAULT_STREAMS, STREAM_ENV_VARS, type StreamAlias } from '@livetranslate/contracts';
import { stringify } from 'yaml';
import { APPS, CONFIG_MAP, INGEST_PARTITIONS, NAMESPACE } from './catalogue.js';
import { appManifests, triggerAuthentication, type Manifest } from './manifests.js';

const HEADER =
  '# Generated from deploy/src (pnpm --filter @livetranslate/deploy generate); edit there, not here.\n';

const documents = (manifests: Manifest[]) =>
  HEADER + manifests.map((m) => stringify(m, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n');

/** Every generated file under deploy/k8s, by path: the base (platform apps) and the mocks component. */
export function renderBase(): Record<string, string> {
  const files: Record<string, string> = {};
  const platform = APPS.filter((a) => a.role !== 'mock');
  const mocks = APPS.filter((a) => a.role === 'mock');
  for (const app of platform) files[`base/${app.name}.yaml`] = documents(appManifests(app));
  files['base/keda-auth.yaml'] = documents([triggerAuthentication()]);
  files['base/namespace.yaml'] = documents([
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: NAMESPACE,
        // The namespace enforces what every pod here is built to meet.
        labels: { 'pod-security.kubernetes.io/enforce': 'restricted' },
      },
    },
  ]);
  const streams = Object.fromEntries(
    (Object.keys(DEFAULT_STREAMS) as StreamAlias[]).map((alias) => [
      STREAM_ENV_VARS[alias],
      DEFAULT_STREAMS[alias],
    ]),
  );
  files['base/kustomization.yaml'] =
    HEADER +
    stringify({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      namespace: NAMESPACE,
      resources: ['namespace.yaml', 'keda-auth.yaml', ...platform.map((a) => `${a.name}.yaml`)],
      // Generated names: a changed setting rolls the pods that read it.
      configMapGenerator: [
        {
          name: CONFIG_MAP,
          literals: Object.entries({
            LOG_FORMAT: 'json',
            AUDIO_INGEST_PARTITIONS: String(INGEST_PARTITIONS),
            ...streams,
          }).map(([k, v]) => `${k}=${v}`),
        },
      ],
    });
  for (const app of mocks) files[`components/mocks/${app.name}.yaml`] = documents(appManifests(app));
  files['components/mocks/kustomization.yaml'] =
    HEADER +
    stringify({
      apiVersion: 'kustomize.config.k8s.io/v1alpha1',
      kind: 'Component',
      resources: mocks.map((a) => `${a.name}.yaml`),
    });
  // KEDA's TriggerAuthentication names a Secret too: the overlays' generated Secret names must reach it.
  for (const overlay of ['dev', 'prod']) {
    files[`overlays/${overlay}/kustomizeconfig.yaml`] =
      HEADER +
      stringify({
        nameReference: [
          {
            kind: 'Secret',
            fieldSpecs: [{ kind: 'TriggerAuthentication', path: 'spec/secretTargetRef/name' }],
          },
        ],
      });
  }
  return files;
}
