/**
 * Typed failures of the downstream SDKs, so callers decide by type what to retry, surface or
 * dead-letter. `retryable` says whether trying again later could succeed.
 */
export abstract class ServiceError extends Error {
  abstract readonly retryable: boolean;
  /** Requests actually sent (retries included); 0 when an open circuit refused the call outright. */
  attempts = 1;

  constructor(
    readonly service: string,
    readonly code: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The service failed, is unreachable, or its circuit is open (after the SDK's own retries). */
export class ServiceUnavailableError extends ServiceError {
  readonly retryable = true;
}

/** No answer within the timeout (after the SDK's own retries). */
export class ServiceTimeoutError extends ServiceError {
  readonly retryable = true;
}

/** The service refused the request as malformed or unsupported (4xx). Retrying cannot help. */
export class InvalidRequestError extends ServiceError {
  readonly retryable = false;
}

/** The Whisper service could not read the audio (corrupt, empty or unsupported format). */
export class InvalidAudioError extends InvalidRequestError {}

/** The service answered 2xx with a body that breaks its contract. */
export class InvalidResponseError extends ServiceError {
  readonly retryable = false;
}
