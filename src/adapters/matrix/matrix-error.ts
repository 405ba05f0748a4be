// One error type for everything the Matrix connection does, saying whether trying again can help.
import { ConnectionError, MatrixError, safeGetRetryAfterMs } from "matrix-js-sdk";

export class MatrixRequestError extends Error {
  override readonly name = "MatrixRequestError";
  constructor(
    message: string,
    /** Trying the same request again later may succeed (rate limit, server error, network). */
    readonly retryable: boolean,
    /** The homeserver's `retry_after_ms` (or `Retry-After`), when it gave one. */
    readonly retryAfterMs: number | undefined,
    /** The Matrix error code (`M_LIMIT_EXCEEDED`, `M_FORBIDDEN`, …), when the homeserver sent one. */
    readonly errcode: string | undefined,
    /** The HTTP status, when there was an answer. */
    readonly httpStatus: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Maps what the SDK threw while doing `action` (e.g. "send to !room:server") to a `MatrixRequestError`. */
export function toMatrixRequestError(error: unknown, action: string): MatrixRequestError {
  if (error instanceof MatrixRequestError) return error;
  if (error instanceof MatrixError) {
    const status = error.httpStatus;
    const limited = error.errcode === "M_LIMIT_EXCEEDED" || status === 429;
    // A 5xx says nothing about the request itself; a 4xx other than a rate limit will fail the same way again.
    const retryable = limited || status === undefined || status >= 500;
    const retryAfterMs = limited ? safeGetRetryAfterMs(error, -1) : -1;
    return new MatrixRequestError(
      `Matrix ${action} failed: ${error.errcode ?? `HTTP ${status}`} ${error.data?.error ?? ""}`.trim(),
      retryable,
      retryAfterMs >= 0 ? retryAfterMs : undefined,
      error.errcode,
      status,
      { cause: error },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  // Network failures and timeouts: the homeserver may be restarting.
  const network =
    error instanceof ConnectionError ||
    (error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError"));
  return new MatrixRequestError(`Matrix ${action} failed: ${message}`, network, undefined, undefined, undefined, {
    cause: error,
  });
}
