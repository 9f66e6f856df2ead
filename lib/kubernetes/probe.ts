// Is a cluster's API server reachable, and which version does it run? The
// answer is Wharf's own type; callers never see client-node's.
import { KubeConfig, VersionApi } from "@kubernetes/client-node";

export type ClusterProbe = { reachable: true; version: string } | { reachable: false; error: string };

export async function probeCluster(kubeconfig: string, timeoutMs = 5_000): Promise<ClusterProbe> {
  const config = new KubeConfig();
  config.loadFromString(kubeconfig);
  try {
    const version = await Promise.race([
      config.makeApiClient(VersionApi).getCode(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs).unref()),
    ]);
    return { reachable: true, version: version.gitVersion };
  } catch (error) {
    return { reachable: false, error: describeClusterError(error) };
  }
}

const socketErrors: Record<string, string> = {
  ECONNREFUSED: "the API server refused the connection",
  ECONNRESET: "the API server dropped the connection",
  UND_ERR_SOCKET: "the API server dropped the connection",
  ENOTFOUND: "the API server's host name does not resolve",
  ETIMEDOUT: "the API server did not answer in time",
  UND_ERR_CONNECT_TIMEOUT: "the API server did not answer in time",
  CERT_HAS_EXPIRED: "the API server's certificate has expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the API server's certificate is not trusted",
};

/** A sentence a person can act on, with the low-level code kept for whoever debugs it. */
export function describeClusterError(error: unknown): string {
  const shaped = error as { code?: number | string; message?: string; cause?: { code?: string; message?: string } };
  const socket = shaped.cause?.code ?? (typeof shaped.code === "string" ? shaped.code : undefined);
  if (socket && socketErrors[socket]) return `${socketErrors[socket]} (${socket})`;
  if (shaped.code === 401) return "the cluster refused Wharf's credentials (HTTP 401)";
  if (shaped.code === 403) return "Wharf's identity may not do this on the cluster (HTTP 403)";
  if (typeof shaped.code === "number") return `the API server answered HTTP ${shaped.code}`;
  return shaped.message?.split("\n")[0] || "unreachable";
}
