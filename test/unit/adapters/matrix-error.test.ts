// What the Matrix connection tells its caller about a failure: retry or not, and after how long.
import { ConnectionError, MatrixError } from "matrix-js-sdk/lib/http-api/index.js";
import { describe, expect, it } from "vitest";
import { toMatrixRequestError } from "../../../src/adapters/matrix/matrix-error.js";

describe("Matrix request errors", () => {
  it("maps M_LIMIT_EXCEEDED to retryable with the homeserver's retry_after_ms", () => {
    const error = toMatrixRequestError(
      new MatrixError({ errcode: "M_LIMIT_EXCEEDED", error: "Too Many Requests", retry_after_ms: 1500 }, 429),
      "send to !r:x",
    );
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 1500, errcode: "M_LIMIT_EXCEEDED", httpStatus: 429 });
    expect(error.message).toBe("Matrix send to !r:x failed: M_LIMIT_EXCEEDED Too Many Requests");
  });

  it("takes a Retry-After header over the body", () => {
    const headers = new Headers({ "Retry-After": "7" });
    const error = toMatrixRequestError(
      new MatrixError({ errcode: "M_LIMIT_EXCEEDED", retry_after_ms: 1500 }, 429, undefined, undefined, headers),
      "send",
    );
    expect(error.retryAfterMs).toBe(7000);
  });

  it("maps a rate limit without a delay to retryable with no delay given", () => {
    const error = toMatrixRequestError(new MatrixError({ errcode: "M_LIMIT_EXCEEDED" }, 429), "send");
    expect(error).toMatchObject({ retryable: true, retryAfterMs: undefined });
  });

  it.each([
    [502, "M_UNKNOWN", true],
    [500, undefined, true],
    [403, "M_FORBIDDEN", false],
    [401, "M_UNKNOWN_TOKEN", false],
    [404, "M_NOT_FOUND", false],
    [400, "M_TOO_LARGE", false],
  ])("HTTP %i %s is retryable: %s", (status, errcode, retryable) => {
    const error = toMatrixRequestError(new MatrixError(errcode ? { errcode } : {}, status), "send");
    expect(error).toMatchObject({ retryable, httpStatus: status, retryAfterMs: undefined });
  });

  it("maps a network failure to retryable, and a programming error to not retryable", () => {
    expect(toMatrixRequestError(new ConnectionError("fetch failed"), "sync").retryable).toBe(true);
    expect(toMatrixRequestError(new TypeError("x is undefined"), "sync").retryable).toBe(false);
  });
});
