import { DEFAULT_KEY_PREFIX, DEFAULT_PORTS, QUEUE_NAMES, queueWaitingKey } from '@livetranslate/contracts';
import {
  APP_DRAIN_SECONDS,
  APPS,
  CONFIG_MAP,
  GATEWAY_CONNECTIONS_METRIC,
  PIPELINE_SCALING,
  PRE_STOP_SECONDS,
  RUN_AS_USER,
  SECRETS,
  type AppSpec,
} from './catalogue.js';

/** A Kubernetes object as plain data (validated against its schema in the tests). */
export type Manifest = { apiVersion: string; kind: string; metadata: Record<string, unknown> } & Record<
  string,
  unknown
>;

const labelsOf = (app: AppSpec) => ({
  'app.kubernetes.io/part-of': 'livetranslate',
  'app.kubernetes.io/name': app.name,
  'app.kubernetes.io/component': app.role,
});
const selectorOf = (app: AppSpec) => ({ 'app.kubernetes.io/name': app.name });
const byName = (name: string) => APPS.find((a) => a.name === name)!;

/** The app's own drain (its SHUTDOWN_GRACE_MS): bots handing over get longer. */
export function drainSecondsOf(app: AppSpec): number {
  return APP_DRAIN_SECONDS + (app.extraDrainSeconds ?? 0);
}

/** Seconds a pod may take to stop: the endpoints' grace, the app's drain, and a margin. */
export function terminationGraceOf(app: AppSpec): number {
  return PRE_STOP_SECONDS + drainSecondsOf(app) + 10;
}

function container(app: AppSpec) {
  const probe = (path: string, extra: Record<string, number>) => ({
    httpGet: { path, port: 'http' },
    // Readiness waits up to 2 s per dependency: never the default 1 s.
    timeoutSeconds: 5,
    ...extra,
  });
  const secretEnv = (name: string, secret: string, key = name, optional = false) => ({
    name,
    valueFrom: { secretKeyRef: { name: secret, key, ...(optional ? { optional: true } : {}) } },
  });
  return {
    name: app.name,
    image: `livetranslate/${app.name}`,
    ports: [{ name: 'http', containerPort: app.port }],
    ...(app.role === 'mock' ? {} : { envFrom: [{ configMapRef: { name: CONFIG_MAP } }] }),
    env: [
      { name: 'PORT', value: String(app.port) },
      { name: 'SHUTDOWN_GRACE_MS', value: String(drainSecondsOf(app) * 1000) },
      // The consumer name survives restarts of the same pod; the monitoring-worker probes the pod IP.
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'ADVERTISE_HOST', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      ...(app.role === 'mock'
        ? []
        : [
            secretEnv('REDIS_URL', SECRETS.redis),
            secretEnv('WEBHOOK_SIGNING_SECRET', SECRETS.webhooks, undefined, true),
          ]),
      ...(app.apiKeys ? [secretEnv('API_KEYS', SECRETS.apiKeys)] : []),
      ...(app.callsModels ? [secretEnv('AUDIO_SERVICE_API_KEY', SECRETS.models, undefined, true)] : []),
      // Chromium writes its profile under HOME; the root filesystem is read-only.
      ...(app.browser ? [{ name: 'HOME', value: '/home/bot' }] : []),
    ],
    startupProbe: probe('/healthz', { periodSeconds: 2, failureThreshold: 60 }),
    readinessProbe: probe('/readyz', { periodSeconds: 5, failureThreshold: 3 }),
    livenessProbe: probe('/healthz', { periodSeconds: 10, failureThreshold: 3 }),
    lifecycle: { preStop: { exec: { command: ['sleep', String(PRE_STOP_SECONDS)] } } },
    resources: {
      requests: { cpu: app.resources.cpu, memory: app.resources.memory },
      limits: { memory: app.resources.memoryLimit },
    },
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    },
    volumeMounts: [
      { name: 'tmp', mountPath: '/tmp' },
      ...(app.browser
        ? [
            { name: 'home', mountPath: '/home/bot' },
            { name: 'dshm', mountPath: '/dev/shm' },
          ]
        : []),
    ],
  };
}

export function deployment(app: AppSpec): Manifest {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: app.name, labels: labelsOf(app) },
    spec: {
      ...(app.replicas ? { replicas: app.replicas } : {}),
      selector: { matchLabels: selectorOf(app) },
      template: {
        metadata: { labels: labelsOf(app) },
        spec: {
          serviceAccountName: app.name,
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: terminationGraceOf(app),
          securityContext: {
            runAsNonRoot: true,
            runAsUser: RUN_AS_USER,
            runAsGroup: RUN_AS_USER,
            fsGroup: RUN_AS_USER,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'kubernetes.io/hostname',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: selectorOf(app) },
            },
          ],
          containers: [container(app)],
          volumes: [
            { name: 'tmp', emptyDir: { sizeLimit: '256Mi' } },
            ...(app.browser
              ? [
                  { name: 'home', emptyDir: { sizeLimit: '512Mi' } },
                  { name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: '1Gi' } },
                ]
              : []),
          ],
        },
      },
    },
  };
}

export function service(app: AppSpec): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: app.name, labels: labelsOf(app) },
    spec: {
      selector: selectorOf(app),
      ports: [{ name: 'http', port: app.port, targetPort: 'http' }],
    },
  };
}

export function serviceAccount(app: AppSpec): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: app.name, labels: labelsOf(app) },
    automountServiceAccountToken: false,
  };
}

export function disruptionBudget(app: AppSpec): Manifest {
  const single = app.replicas === 1;
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: app.name, labels: labelsOf(app) },
    spec: {
      selector: { matchLabels: selectorOf(app) },
      // One replica cannot stay up through a drain; more keep at least one serving.
      ...(single ? { maxUnavailable: 1 } : { minAvailable: 1 }),
    },
  };
}

const dns = {
  to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
  ports: [
    { protocol: 'UDP', port: 53 },
    { protocol: 'TCP', port: 53 },
  ],
};
/** Redis may run outside the cluster (a managed service), TLS or not. */
const redis = {
  ports: [
    { protocol: 'TCP', port: 6379 },
    { protocol: 'TCP', port: 6380 },
  ],
};
/** The model services: the in-cluster mocks' ports, or HTTPS endpoints outside. */
const models = {
  ports: [
    { protocol: 'TCP', port: DEFAULT_PORTS.whisper },
    { protocol: 'TCP', port: DEFAULT_PORTS.translation },
    { protocol: 'TCP', port: 443 },
  ],
};
const fromApp = (name: string) => ({ podSelector: { matchLabels: { 'app.kubernetes.io/name': name } } });

/** Only the traffic the app needs: its callers in, DNS, Redis and what it calls out. */
export function networkPolicy(app: AppSpec): Manifest {
  const scraper = { namespaceSelector: { matchLabels: { 'livetranslate.io/metrics-scraper': 'true' } } };
  const callers =
    app.role === 'mock'
      ? APPS.filter((a) => a.callsModels).map((a) => fromApp(a.name))
      : [fromApp('monitoring-worker')];
  const egress: unknown[] = [dns];
  if (app.role !== 'mock') egress.push(redis);
  if (app.callsModels) egress.push(models);
  if (app.probesApps) {
    egress.push({
      to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/part-of': 'livetranslate' } } }],
      ports: APPS.map((a) => ({ protocol: 'TCP', port: a.port })),
    });
  }
  // Meetings are anywhere on the web.
  if (app.browser)
    egress.push({
      ports: [
        { protocol: 'TCP', port: 443 },
        { protocol: 'TCP', port: 80 },
      ],
    });
  const ports = [{ protocol: 'TCP', port: app.port }];
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: app.name, labels: labelsOf(app) },
    spec: {
      podSelector: { matchLabels: selectorOf(app) },
      policyTypes: ['Ingress', 'Egress'],
      // The gateway takes clients from the Ingress controller, wherever it runs; the others only
      // their callers, the monitoring-worker's /readyz probes and Prometheus (a labelled namespace).
      ingress: [app.role === 'edge' ? { ports } : { from: [...callers, scraper], ports }],
      egress,
    },
  };
}

/** Prometheus Operator scrapes /metrics in the cluster; the Ingress never routes it. */
export function serviceMonitor(app: AppSpec): Manifest {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: { name: app.name, labels: labelsOf(app) },
    spec: {
      selector: { matchLabels: selectorOf(app) },
      endpoints: [{ port: 'http', path: '/metrics', interval: '30s', scrapeTimeout: '10s' }],
    },
  };
}

/** The gateway: CPU, and open WebSockets per pod (prometheus-adapter serves the metric). */
export function gatewayAutoscaler(): Manifest {
  const app = byName('api-gateway');
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: app.name, labels: labelsOf(app) },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: app.name },
      minReplicas: 2,
      maxReplicas: 20,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
        },
        {
          type: 'Pods',
          pods: {
            metric: { name: GATEWAY_CONNECTIONS_METRIC },
            target: { type: 'AverageValue', averageValue: '500' },
          },
        },
      ],
      behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
    },
  };
}

const redisAuth = { name: 'livetranslate-redis-auth' };

/** KEDA reads Redis with the same Secret the apps use, over TLS when REDIS_TLS says `enable`. */
export function triggerAuthentication(): Manifest {
  const param = (parameter: string, key: string) => ({ parameter, name: SECRETS.redis, key });
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'TriggerAuthentication',
    metadata: { name: redisAuth.name },
    spec: {
      secretTargetRef: [
        param('address', 'REDIS_ADDRESS'),
        param('username', 'REDIS_USERNAME'),
        param('password', 'REDIS_PASSWORD'),
        param('tls', 'REDIS_TLS'),
      ],
    },
  };
}

/** A KEDA ScaledObject on the app's Deployment, scaling down no faster than `scaleDownSeconds`. */
function scaledObject(
  app: AppSpec,
  range: { min: number; max: number; scaleDownSeconds: number },
  triggers: Array<{ type: string; name?: string; metadata: Record<string, string> }>,
): Manifest {
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: app.name, labels: labelsOf(app) },
    spec: {
      scaleTargetRef: { name: app.name },
      minReplicaCount: range.min,
      maxReplicaCount: range.max,
      advanced: {
        horizontalPodAutoscalerConfig: {
          behavior: { scaleDown: { stabilizationWindowSeconds: range.scaleDownSeconds } },
        },
      },
      triggers: triggers.map((t) => ({ ...t, authenticationRef: redisAuth })),
    },
  };
}

/**
 * Workers in flight (pending) and work waiting (lag) both ask for replicas, on every ingest
 * partition. KEDA takes the largest ask of its triggers, not their sum, while every worker reads
 * every partition: so each partition's per-replica target is divided by the partition count. With
 * sessions spread evenly by hash the largest ask is then the total's; a busier partition over-asks,
 * never under-asks.
 */
export function pipelineScaler(): Manifest {
  const s = PIPELINE_SCALING;
  const share = (perReplica: number) => String(Math.max(1, Math.ceil(perReplica / s.streams.length)));
  return scaledObject(
    byName('audio-pipeline-worker'),
    { min: 1, max: s.maxReplicas, scaleDownSeconds: 300 },
    s.streams.flatMap((stream, partition) => {
      const on = { stream, consumerGroup: s.group };
      return [
        {
          type: 'redis-streams',
          name: `pending-${partition}`,
          metadata: { ...on, pendingEntriesCount: share(s.pendingPerReplica) },
        },
        {
          type: 'redis-streams',
          name: `lag-${partition}`,
          metadata: { ...on, lagCount: share(s.lagPerReplica), activationLagCount: '1' },
        },
      ];
    }),
  );
}

/**
 * Bots waiting for a worker ask for one; at least one replica always takes the next meeting. A pod
 * that stops hands its bots over; a slow scale-down keeps that rare.
 */
export function botScaler(): Manifest {
  return scaledObject(byName('bot-worker'), { min: 1, max: 20, scaleDownSeconds: 600 }, [
    {
      type: 'redis',
      metadata: {
        listName: queueWaitingKey(DEFAULT_KEY_PREFIX, QUEUE_NAMES.botLifecycle),
        listLength: '1',
        activationListLength: '0',
      },
    },
  ]);
}

/** Every object of one app, in the order a reader expects. */
export function appManifests(app: AppSpec): Manifest[] {
  const out = [
    serviceAccount(app),
    deployment(app),
    service(app),
    disruptionBudget(app),
    networkPolicy(app),
    serviceMonitor(app),
  ];
  if (app.name === 'api-gateway') out.push(gatewayAutoscaler());
  if (app.name === 'audio-pipeline-worker') out.push(pipelineScaler());
  if (app.name === 'bot-worker') out.push(botScaler());
  return out;
}
