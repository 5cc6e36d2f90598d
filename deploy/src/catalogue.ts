import {
  CONSUMER_GROUPS,
  DEFAULT_PORTS,
  DEFAULT_SHUTDOWN_GRACE_MS,
  DEFAULT_STREAMS,
  partitionedStreams,
} from '@livetranslate/contracts';

/** The numeric user every image runs as (the kubelet can only verify a number as non-root). */
export const RUN_AS_USER = 10001;
/** Pods start draining only after endpoints stopped sending them traffic. */
export const PRE_STOP_SECONDS = 5;
/** Upper bound of an app's own drain on SIGTERM (SHUTDOWN_GRACE_MS's default). */
export const APP_DRAIN_SECONDS = DEFAULT_SHUTDOWN_GRACE_MS / 1000;

export const NAMESPACE = 'livetranslate';
/** Secrets the platform team creates (or the overlays generate): referenced by name only. */
export const SECRETS = {
  /** REDIS_URL for the apps; REDIS_ADDRESS, REDIS_USERNAME, REDIS_PASSWORD, REDIS_TLS for KEDA. */
  redis: 'livetranslate-redis',
  /** API_KEYS (or API_KEYS_FILE contents) for the gateway. */
  apiKeys: 'livetranslate-api-keys',
  /** AUDIO_SERVICE_API_KEY for an OpenAI-compatible speech service (optional keys). */
  models: 'livetranslate-models',
  /** WEBHOOK_SIGNING_SECRET, the same for every app (optional: without it webhooks are off). */
  webhooks: 'livetranslate-webhooks',
} as const;
export const CONFIG_MAP = 'livetranslate-config';

export type Role = 'edge' | 'worker' | 'mock';

export interface AppSpec {
  name: string;
  port: number;
  role: Role;
  description: string;
  /** Fixed replica count; absent when an autoscaler owns it. */
  replicas?: number;
  resources: { cpu: string; memory: string; memoryLimit: string };
  /** Reaches the model services. */
  callsModels?: boolean;
  /** Needs the browser's writable HOME and a memory-backed /dev/shm, and egress to meetings. */
  browser?: boolean;
  /** Probes every app's /readyz. */
  probesApps?: boolean;
  /** Receives API_KEYS. */
  apiKeys?: boolean;
  /** Extra seconds of drain beyond the app's own (bots handing over). */
  extraDrainSeconds?: number;
}

export const APPS: AppSpec[] = [
  {
    name: 'api-gateway',
    port: DEFAULT_PORTS.apiGateway,
    role: 'edge',
    description: 'HTTP and WebSocket edge',
    resources: { cpu: '250m', memory: '256Mi', memoryLimit: '1Gi' },
    callsModels: true,
    apiKeys: true,
  },
  {
    name: 'audio-pipeline-worker',
    port: DEFAULT_PORTS.audioPipelineWorker,
    role: 'worker',
    description: 'transcribes and translates chunks',
    resources: { cpu: '250m', memory: '256Mi', memoryLimit: '1Gi' },
    callsModels: true,
  },
  {
    name: 'bot-worker',
    port: DEFAULT_PORTS.botWorker,
    role: 'worker',
    description: 'runs meeting bots (Chromium)',
    resources: { cpu: '500m', memory: '1Gi', memoryLimit: '4Gi' },
    browser: true,
    extraDrainSeconds: 30,
  },
  {
    name: 'config-sync-worker',
    port: DEFAULT_PORTS.configSyncWorker,
    role: 'worker',
    description: 'applies configuration changes',
    replicas: 2,
    resources: { cpu: '50m', memory: '128Mi', memoryLimit: '512Mi' },
    callsModels: true,
  },
  {
    name: 'monitoring-worker',
    port: DEFAULT_PORTS.monitoringWorker,
    role: 'worker',
    description: 'health, lag, alerts and usage',
    replicas: 2,
    resources: { cpu: '50m', memory: '128Mi', memoryLimit: '512Mi' },
    callsModels: true,
    probesApps: true,
  },
  {
    name: 'whisper-mock',
    port: DEFAULT_PORTS.whisper,
    role: 'mock',
    description: 'stand-in Whisper service',
    replicas: 1,
    resources: { cpu: '50m', memory: '128Mi', memoryLimit: '512Mi' },
  },
  {
    name: 'translation-mock',
    port: DEFAULT_PORTS.translation,
    role: 'mock',
    description: 'stand-in translation service',
    replicas: 1,
    resources: { cpu: '50m', memory: '128Mi', memoryLimit: '512Mi' },
  },
];

/**
 * AUDIO_INGEST_PARTITIONS of the Kubernetes deployment (every app reads it from the ConfigMap, the
 * autoscaler watches each partition). Decide it before the first deploy: changing it strands the
 * entries waiting on the old partitions.
 */
export const INGEST_PARTITIONS = 4;

/** What the audio-pipeline-worker's autoscaler watches: the ingest partitions' group. */
export const PIPELINE_SCALING = {
  streams: partitionedStreams(DEFAULT_STREAMS.audioIngest, INGEST_PARTITIONS),
  group: CONSUMER_GROUPS.audioPipeline,
  /** Entries delivered and not acked per replica (WORKER_MAX_IN_FLIGHT is 16). */
  pendingPerReplica: 16,
  /** Entries not yet delivered per replica. */
  lagPerReplica: 20,
  /** What the model services can bear. */
  maxReplicas: 20,
};

/** The gateway's custom metric for its HPA (served to the HPA by prometheus-adapter). */
export const GATEWAY_CONNECTIONS_METRIC = 'livetranslate_websocket_connections_open';
