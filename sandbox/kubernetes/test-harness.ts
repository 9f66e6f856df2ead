// Test support: the Kubernetes API stand-in behind a real HTTPS listener with
// the sandbox CA, routed as the sandbox server routes it (`/k8s/<cluster>`),
// plus clients configured the way Wharf and a user's kubectl would be.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { ensureSandboxTls } from "../ca";
import { clusterTokens, sandboxClusters } from "../clusters";
import { createKubernetesApi, type KubernetesApi, type KubernetesApiOptions } from "./api-server";

export const kubectlPath = "/usr/bin/kubectl";
export const hasKubectl = existsSync(kubectlPath);
export const kubectlSkipReason = `kubectl not found at ${kubectlPath}; kubectl contract cases are skipped`;

export interface TestApiServer {
  api: KubernetesApi;
  stateDir: string;
  origin: string;
  caPem: string;
  serverUrl(cluster?: string): string;
  token(cluster?: string): string;
  kubeConfig(options?: { cluster?: string; token?: string }): KubeConfig;
  /** Stops the API (writing state) and starts a new one on the same state dir and port. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

type Options = Omit<KubernetesApiOptions, "stateDir" | "clusters">;

export async function startTestApiServer(options: Options = {}): Promise<TestApiServer> {
  const stateDir = mkdtempSync(join(tmpdir(), "wharf-k8s-"));
  const tls = ensureSandboxTls(stateDir);
  let api = createKubernetesApi({ stateDir, clusters: sandboxClusters, namespaceFinalizeDelayMs: 150, ...options });
  const server: Server = createServer({ cert: tls.serverCertPem, key: tls.serverKeyPem }, (req, res) => {
    const match = /^\/k8s\/([^/?]+)(.*)$/.exec(req.url ?? "");
    if (!match) {
      res.writeHead(404).end();
      return;
    }
    void api.handle(req, res, match[1] ?? "", match[2] || "/");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `https://localhost:${(server.address() as AddressInfo).port}`;
  const tokens = clusterTokens(stateDir);
  const serverUrl = (cluster = "aks-dev-weu"): string => `${origin}/k8s/${cluster}`;
  const token = (cluster = "aks-dev-weu"): string => tokens[cluster] ?? "";

  return {
    get api() {
      return api;
    },
    stateDir,
    origin,
    caPem: tls.caCertPem,
    serverUrl,
    token,
    kubeConfig({ cluster = "aks-dev-weu", token: given } = {}) {
      const config = new KubeConfig();
      config.loadFromOptions({
        clusters: [{ name: cluster, server: serverUrl(cluster), caData: Buffer.from(tls.caCertPem).toString("base64"), skipTLSVerify: false }],
        users: [{ name: "wharf", token: given ?? token(cluster) }],
        contexts: [{ name: cluster, cluster, user: "wharf" }],
        currentContext: cluster,
      });
      return config;
    },
    async restart() {
      await api.close();
      api = createKubernetesApi({ stateDir, clusters: sandboxClusters, namespaceFinalizeDelayMs: 150, ...options });
    },
    async close() {
      await api.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A kubectl bound to one sandbox cluster through its own kubeconfig and discovery cache. */
export function kubectlFor(server: TestApiServer, cluster = "aks-dev-weu"): (args: string[], stdin?: string) => Promise<KubectlResult> {
  const dir = mkdtempSync(join(server.stateDir, "kubectl-"));
  const kubeconfig = join(dir, "config");
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: cluster, cluster: { server: server.serverUrl(cluster), "certificate-authority-data": Buffer.from(server.caPem).toString("base64") } }],
      users: [{ name: "wharf", user: { token: server.token(cluster) } }],
      contexts: [{ name: cluster, context: { cluster, user: "wharf" } }],
      "current-context": cluster,
    }),
  );
  return (args, stdin) =>
    new Promise((resolve) => {
      const child = execFile(
        kubectlPath,
        ["--kubeconfig", kubeconfig, "--cache-dir", join(dir, "cache"), ...args],
        { timeout: 20_000 },
        (error, stdout, stderr) => {
          resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
        },
      );
      if (stdin !== undefined) child.stdin?.end(stdin);
      else child.stdin?.end();
    });
}
