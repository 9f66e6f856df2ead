// A Kubernetes API failure in Wharf's own terms: what the API server said,
// and whether trying again can help. Callers never see client-node's
// ApiException or undici's socket errors.
import { describeClusterError } from "@/lib/kubernetes/probe";

export class KubernetesApiError extends Error {
  /** HTTP status, or undefined when no answer came (socket error, timeout). */
  readonly status?: number;
  /** The Status object's reason: NotFound, Conflict, Invalid, Forbidden, TooManyRequests... */
  readonly reason?: string;
  /** 429, 5xx, timeouts and dropped connections may pass; other 4xx will not. */
  readonly retryable: boolean;
  readonly retryAfterSeconds?: number;

  constructor(message: string, options: { status?: number; reason?: string; retryable: boolean; retryAfterSeconds?: number; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = "KubernetesApiError";
    this.status = options.status;
    this.reason = options.reason;
    this.retryable = options.retryable;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

interface StatusBody {
  kind?: string;
  message?: string;
  reason?: string;
}

function statusBody(body: unknown): StatusBody | undefined {
  if (typeof body === "string") {
    try {
      return JSON.parse(body) as StatusBody;
    } catch {
      return body.trim() ? { message: body.trim().slice(0, 500) } : undefined;
    }
  }
  return body && typeof body === "object" ? (body as StatusBody) : undefined;
}

function retryAfter(headers: Record<string, string> | undefined): number | undefined {
  const value = headers?.["retry-after"] ?? headers?.["Retry-After"];
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** Turns whatever a client-node call threw into a KubernetesApiError. */
export function toKubernetesApiError(error: unknown, doing: string): KubernetesApiError {
  if (error instanceof KubernetesApiError) return error;
  const shaped = error as { code?: unknown; body?: unknown; headers?: Record<string, string> };
  if (typeof shaped.code === "number" && shaped.code >= 400) {
    const status = shaped.code;
    const body = statusBody(shaped.body);
    const said = body?.message ?? `HTTP ${status}`;
    return new KubernetesApiError(`${doing}: ${said} (HTTP ${status}${body?.reason ? ` ${body.reason}` : ""})`, {
      status,
      reason: body?.reason,
      retryable: status === 429 || status >= 500 || status === 401,
      retryAfterSeconds: retryAfter(shaped.headers),
      cause: error,
    });
  }
  return new KubernetesApiError(`${doing}: ${describeClusterError(error)}`, { retryable: true, cause: error });
}
