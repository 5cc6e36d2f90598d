import { context, propagation, SpanKind } from '@opentelemetry/api';
import {
  BrokenCircuitError,
  circuitBreaker,
  CircuitState as BreakerState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  handleWhen,
  retry,
  TaskCancelledError,
  timeout,
  TimeoutStrategy,
  wrap,
  type IPolicy,
} from 'cockatiel';
import { validateAs } from '../events/event-map.js';
import { inSpan } from './in-span.js';
import { ServiceConfigBody } from './downstream.contract.js';
import {
  InvalidRequestError,
  InvalidResponseError,
  ServiceError,
  ServiceTimeoutError,
  ServiceUnavailableError,
} from './service-errors.js';

/** A circuit breaker's new state: `open` fails calls fast, `half-open` lets one trial through. */
export type CircuitState = 'open' | 'half-open' | 'closed';

export interface ResilienceOptions {
  /** Per attempt. */
  timeoutMs?: number;
  /** Attempts in all, the first included. Only transient failures (5xx, 429, resets, timeouts) are retried. */
  maxAttempts?: number;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** Consecutive transient failures that open the circuit. */
  breakerThreshold?: number;
  /** How long the circuit stays open before one trial request. */
  breakerHalfOpenAfterMs?: number;
}

/**
 * A `multipart/form-data` body as plain data: each sender encodes it its own way (`fetchSend` as a
 * FormData; the apps' Node sender straight into one buffer, without a Blob copy of each file).
 */
export interface MultipartBody {
  fields: Record<string, string>;
  files: Array<{ name: string; filename: string; type: string; bytes: Uint8Array }>;
}

export function isMultipartBody(body: unknown): body is MultipartBody {
  return typeof body === 'object' && body !== null && 'files' in body && 'fields' in body;
}

/** One HTTP exchange, as the resilience layer sees it. */
export interface HttpExchange {
  url: URL;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string | Uint8Array | MultipartBody;
  /** Aborted on the attempt's timeout or the caller's cancellation. */
  signal: AbortSignal;
}

/**
 * Sends one exchange and reads the whole answer; throws only when no answer came (unreachable,
 * reset, aborted). `fetch` by default, which runs everywhere; a Node app can plug in a leaner one.
 */
export type HttpSend = (exchange: HttpExchange) => Promise<{ status: number; text: string }>;

export const fetchSend: HttpSend = async ({ url, method, headers, body, signal }) => {
  const response = await fetch(url, {
    method,
    headers,
    body: isMultipartBody(body) ? toFormData(body) : (body as RequestInit['body']),
    signal,
  });
  return { status: response.status, text: await response.text() };
};

function toFormData(body: MultipartBody): FormData {
  const form = new FormData();
  for (const file of body.files) {
    form.set(
      file.name,
      new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.type }),
      file.filename,
    );
  }
  for (const [name, value] of Object.entries(body.fields)) form.set(name, value);
  return form;
}

export interface HttpClientOptions {
  baseUrl: string;
  /** Sent with every request (auth, tracing, test fault headers). */
  headers?: Record<string, string>;
  resilience?: ResilienceOptions;
  /** How requests are sent (`fetchSend` unless given). */
  send?: HttpSend;
}

export const RESILIENCE_DEFAULTS: Required<ResilienceOptions> = {
  timeoutMs: 15_000,
  maxAttempts: 3,
  backoffInitialMs: 100,
  backoffMaxMs: 2_000,
  breakerThreshold: 5,
  breakerHalfOpenAfterMs: 10_000,
};

/** A failure worth another attempt: 5xx, 429, a network error or a timeout. */
class TransientFailure extends Error {
  constructor(
    readonly status: number | undefined,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface RequestSpec<T> {
  method: 'GET' | 'POST';
  path: string;
  json?: unknown;
  form?: MultipartBody;
  body?: Uint8Array;
  contentType?: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** Response class (class-validator) the body must satisfy. */
  responseType?: new () => T & object;
  /** Plain-text responses. */
  text?: boolean;
  /** Maps a 4xx to the caller's own error type. */
  clientError?: (status: number, code: string, message: string) => ServiceError;
  signal?: AbortSignal;
}

const TRACER = '@livetranslate/contracts';

/**
 * HTTP (fetch, or the given `send`) with a timeout per attempt, retries with exponential backoff and jitter on transient
 * failures only, and a circuit breaker, all from cockatiel. Bodies are validated against the
 * contract's classes; every failure surfaces as a typed ServiceError.
 */
export class ResilientHttp {
  private readonly policy: IPolicy;
  private readonly breaker;
  readonly options: Required<ResilienceOptions>;

  constructor(
    readonly service: string,
    private readonly config: HttpClientOptions,
  ) {
    this.options = { ...RESILIENCE_DEFAULTS, ...config.resilience };
    const transient = handleWhen(
      (error) => error instanceof TransientFailure || error instanceof TaskCancelledError,
    );
    this.breaker = circuitBreaker(transient, {
      halfOpenAfter: this.options.breakerHalfOpenAfterMs,
      breaker: new ConsecutiveBreaker(this.options.breakerThreshold),
    });
    this.policy = wrap(
      retry(transient, {
        maxAttempts: Math.max(0, this.options.maxAttempts - 1),
        backoff: new ExponentialBackoff({
          initialDelay: this.options.backoffInitialMs,
          maxDelay: this.options.backoffMaxMs,
        }),
      }),
      this.breaker,
      // Not aborted once the attempt has returned: nothing is left to cancel then, and each abort
      // built a DOMException with its stack (a few per cent of the worker's CPU at 100 chunks/s).
      timeout(this.options.timeoutMs, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false }),
    );
  }

  /** Calls `listener` each time the circuit opens, half-opens or closes again. */
  onCircuitChange(listener: (state: CircuitState) => void): void {
    this.breaker.onBreak(() => listener('open'));
    this.breaker.onHalfOpen(() => listener('half-open'));
    this.breaker.onReset(() => listener('closed'));
  }

  get circuitState(): 'closed' | 'open' | 'half-open' | 'isolated' {
    switch (this.breaker.state) {
      case BreakerState.Open:
        return 'open';
      case BreakerState.HalfOpen:
        return 'half-open';
      case BreakerState.Isolated:
        return 'isolated';
      default:
        return 'closed';
    }
  }

  /** One call, retries included, as a client span: the caller's trace shows where the time went. */
  async request<T>(spec: RequestSpec<T>): Promise<T> {
    return inSpan(
      TRACER,
      `${this.service} ${spec.method} ${spec.path}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'http.request.method': spec.method,
          'url.path': spec.path,
          'server.address': this.config.baseUrl,
          'peer.service': this.service,
        },
      },
      () => this.call(spec),
    );
  }

  private async call<T>(spec: RequestSpec<T>): Promise<T> {
    let raw: unknown;
    // Counted where a request is really sent: the breaker refuses before this runs.
    let attempts = 0;
    try {
      raw = await this.policy.execute(({ signal }) => {
        attempts++;
        return this.attempt(spec, anySignal(signal, spec.signal));
      }, spec.signal);
    } catch (error) {
      const failure = this.toServiceError(error);
      failure.attempts = attempts;
      throw failure;
    }
    if (spec.text || !spec.responseType) return raw as T;
    if (raw === null || typeof raw !== 'object') {
      throw new InvalidResponseError(
        this.service,
        'invalid_response',
        `${this.service} returned a non-object body`,
      );
    }
    const checked = validateAs(spec.responseType, raw);
    if (!checked.ok) {
      throw new InvalidResponseError(
        this.service,
        'invalid_response',
        `${this.service} broke its contract on ${spec.method} ${spec.path}: ${checked.errors.join('; ')}`,
      );
    }
    return checked.value as T;
  }

  private async attempt<T>(spec: RequestSpec<T>, signal: AbortSignal): Promise<unknown> {
    const url = new URL(
      spec.path.replace(/^\//, ''),
      this.config.baseUrl.endsWith('/') ? this.config.baseUrl : `${this.config.baseUrl}/`,
    );
    for (const [key, value] of Object.entries(spec.query ?? {}))
      if (value !== undefined) url.searchParams.set(key, String(value));
    const headers: Record<string, string> = {
      accept: spec.text ? 'text/plain' : 'application/json',
      ...this.config.headers,
    };
    // The model services see the caller's trace (a no-op unless a propagator is registered).
    propagation.inject(context.active(), headers);
    let body: HttpExchange['body'];
    if (spec.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(spec.json);
    } else if (spec.form) {
      body = spec.form;
    } else if (spec.body) {
      headers['content-type'] = spec.contentType ?? 'application/octet-stream';
      body = spec.body;
    }
    let status: number;
    let text: string;
    try {
      ({ status, text } = await (this.config.send ?? fetchSend)({
        url,
        method: spec.method,
        headers,
        body,
        signal,
      }));
    } catch (error) {
      if (signal.aborted) throw error; // cockatiel's timeout or the caller's cancellation
      // fetch names the cause (ECONNREFUSED…) on `cause`, Node's own clients on the error itself.
      const failure = error as { code?: string; cause?: { code?: string } };
      throw new TransientFailure(
        undefined,
        'unreachable',
        `${this.service} unreachable: ${failure.cause?.code ?? failure.code ?? (error as Error).message}`,
      );
    }
    if (status >= 200 && status < 300) return spec.text ? text : parseJson(text);
    const { code, message } = errorOf(text, status);
    if (status >= 500 || status === 429) {
      throw new TransientFailure(status, code, `${this.service} answered ${status}: ${message}`);
    }
    throw (spec.clientError ?? defaultClientError(this.service))(status, code, message);
  }

  private toServiceError(error: unknown): ServiceError {
    if (error instanceof ServiceError) return error;
    if (error instanceof BrokenCircuitError) {
      return new ServiceUnavailableError(
        this.service,
        'circuit_open',
        `${this.service} circuit is open after repeated failures`,
      );
    }
    if (error instanceof TaskCancelledError) {
      return new ServiceTimeoutError(
        this.service,
        'timeout',
        `${this.service} did not answer within ${this.options.timeoutMs} ms`,
      );
    }
    if (error instanceof TransientFailure)
      return new ServiceUnavailableError(this.service, error.code, error.message, error.status);
    if (error instanceof SyntaxError)
      return new InvalidResponseError(this.service, 'invalid_json', `${this.service} returned invalid JSON`);
    return new ServiceUnavailableError(
      this.service,
      'unexpected',
      (error as Error)?.message ?? String(error),
    );
  }
}

function defaultClientError(service: string) {
  return (status: number, code: string, message: string) =>
    new InvalidRequestError(service, code, message, status);
}

function parseJson(text: string): unknown {
  return text === '' ? null : JSON.parse(text);
}

/** Reads the platform's `{error:{code,message}}`, OpenAI's `{error:{message,type}}`, FastAPI's `{detail}`. */
function errorOf(text: string, status: number): { code: string; message: string } {
  try {
    const body = JSON.parse(text) as { error?: unknown; detail?: unknown; message?: unknown };
    if (body.error && typeof body.error === 'object') {
      const e = body.error as { code?: unknown; type?: unknown; message?: unknown };
      return { code: String(e.code ?? e.type ?? `http_${status}`), message: String(e.message ?? text) };
    }
    if (typeof body.error === 'string') return { code: `http_${status}`, message: body.error };
    if (body.detail !== undefined)
      return {
        code: `http_${status}`,
        message: typeof body.detail === 'string' ? body.detail : JSON.stringify(body.detail),
      };
    if (typeof body.message === 'string') return { code: `http_${status}`, message: body.message };
  } catch {
    // not JSON: fall through to the raw text
  }
  return { code: `http_${status}`, message: text.slice(0, 500) || `HTTP ${status}` };
}

function anySignal(a: AbortSignal, b?: AbortSignal): AbortSignal {
  return b ? AbortSignal.any([a, b]) : a;
}

/** `GET/POST /api/config` — the settings push/read-back both model services offer. */
export class ServiceConfigApi {
  constructor(private readonly http: ResilientHttp) {}

  get(): Promise<ServiceConfigBody> {
    return this.http.request({ method: 'GET', path: '/api/config', responseType: ServiceConfigBody });
  }

  update(changes: Record<string, unknown>): Promise<ServiceConfigBody> {
    return this.http.request({
      method: 'POST',
      path: '/api/config',
      json: changes,
      responseType: ServiceConfigBody,
    });
  }
}
