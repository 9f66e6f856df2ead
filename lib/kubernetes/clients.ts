// Kubernetes clients per cluster, from the user credentials ARM returns
// (`listClusterUserCredential`). The kubeconfig is cached and fetched again
// before its token expires, after a 401, or after half an hour when the token
// does not say when it expires. Callers that arrive together share one fetch.
import { KubeConfig } from "@kubernetes/client-node";
import { decodeJwt } from "jose";

export interface ClusterCredentialsSource {
  /** A stable key for the cache, such as the cluster's id. */
  key: string;
  /** Fetches a fresh kubeconfig (YAML), e.g. through ARM. */
  fetch(): Promise<string>;
}

interface Entry {
  config: Promise<KubeConfig>;
  renewAt: number;
}

const fallbackLifetimeMs = 30 * 60_000;
const renewBeforeExpiryMs = 5 * 60_000;
const cache = new Map<string, Entry>();

/** When to fetch again: ahead of the token's own expiry when it is a JWT, otherwise after a fixed time. */
export function renewalTime(config: KubeConfig, now: number): number {
  const token = config.getCurrentUser()?.token;
  if (token) {
    try {
      const { exp } = decodeJwt(token);
      if (typeof exp === "number") return Math.max(now, exp * 1000 - renewBeforeExpiryMs);
    } catch {
      // An opaque token: fall back to a fixed lifetime.
    }
  }
  return now + fallbackLifetimeMs;
}

export async function kubeConfigFor(source: ClusterCredentialsSource, now = Date.now()): Promise<KubeConfig> {
  const cached = cache.get(source.key);
  if (cached && cached.renewAt > now) return cached.config;
  const entry: Entry = {
    renewAt: Number.POSITIVE_INFINITY,
    config: source.fetch().then((yaml) => {
      const config = new KubeConfig();
      config.loadFromString(yaml);
      entry.renewAt = renewalTime(config, Date.now());
      return config;
    }),
  };
  cache.set(source.key, entry);
  entry.config.catch(() => {
    if (cache.get(source.key) === entry) cache.delete(source.key);
  });
  return entry.config;
}

/** After the cluster refused the credentials: the next call fetches new ones. */
export function forgetCredentials(key: string): void {
  cache.delete(key);
}
