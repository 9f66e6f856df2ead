// AKS clusters with Microsoft Entra integration hand out a kubeconfig whose
// user runs `kubelogin get-token` (or, in the legacy format, names the
// `azure` auth provider): a person signs in on a device code page. Wharf is a
// service, so it signs in as itself instead: it asks its own Entra identity
// (client secret or workload identity, lib/azure/credential.ts) for a token
// for the AKS server application and puts that token in the kubeconfig. The
// cluster authorizes Wharf's identity through Azure RBAC for Kubernetes or a
// RoleBinding (README, "Point Wharf at your Azure tenant"). Kubeconfigs with
// credentials of their own (local accounts: a token or a client certificate)
// are used as they are.
import type { TokenCredential } from "@azure/identity";
import { parseDocument } from "yaml";

/** The multi-tenant AKS server application every AKS-managed Entra cluster accepts tokens for. */
export const aksEntraServerAppId = "6dae42f8-4368-4678-94ff-3960e28e3630";

/** Wharf's identity got no token for an Entra-enabled cluster (not an ARM failure). */
export class EntraClusterTokenError extends Error {
  override name = "EntraClusterTokenError";
}

type Kubeconfig = {
  "current-context"?: string;
  contexts?: { name?: string; context?: { user?: string } }[];
  users?: { name?: string; user?: Record<string, unknown> | null }[];
};

/** The AKS server application the kubeconfig's current user would get a token for, or null when it carries credentials itself. */
export function entraServerId(kubeconfigYaml: string): string | null {
  const current = currentUser(parseKubeconfig(kubeconfigYaml));
  return current ? serverIdOf(current.user) : null;
}

function serverIdOf(user: Record<string, unknown>): string | null {
  const exec = user.exec as { command?: unknown; args?: unknown } | undefined;
  if (exec && typeof exec.command === "string" && /(^|[\\/])kubelogin(\.exe)?$/.test(exec.command)) {
    const args = Array.isArray(exec.args) ? exec.args.map(String) : [];
    const flag = args.findIndex((arg) => arg === "--server-id" || arg.startsWith("--server-id="));
    if (flag < 0) return aksEntraServerAppId;
    return args[flag]!.includes("=") ? args[flag]!.split("=")[1]! : (args[flag + 1] ?? aksEntraServerAppId);
  }
  const provider = user["auth-provider"] as { name?: unknown; config?: Record<string, unknown> } | undefined;
  if (provider?.name === "azure") return typeof provider.config?.["apiserver-id"] === "string" ? provider.config["apiserver-id"] : aksEntraServerAppId;
  return null;
}

/**
 * The kubeconfig as Wharf uses it: unchanged when its user has credentials,
 * otherwise with the user's kubelogin exec (or azure auth provider) replaced
 * by a bearer token for the cluster's server application from Wharf's own
 * identity. The token is a JWT, so lib/kubernetes/clients.ts renews the
 * kubeconfig five minutes before it expires.
 */
export async function withWharfEntraToken(kubeconfigYaml: string, credential: TokenCredential, clusterName: string): Promise<string> {
  const document = parseKubeconfig(kubeconfigYaml);
  const current = currentUser(document);
  const serverId = current ? serverIdOf(current.user) : null;
  if (!current || !serverId) return kubeconfigYaml;
  let token: string | undefined;
  try {
    token = (await credential.getToken(`${serverId}/.default`))?.token;
  } catch (error) {
    throw new EntraClusterTokenError(
      `${clusterName} uses Microsoft Entra sign-in, and Wharf's identity could not get a token for ` +
        `it (scope ${serverId}/.default): ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  if (!token)
    throw new EntraClusterTokenError(
      `${clusterName} uses Microsoft Entra sign-in, and Entra returned no token for Wharf's identity (scope ${serverId}/.default).`,
    );
  document.setIn(["users", current.index, "user"], { token });
  return String(document);
}

function parseKubeconfig(kubeconfigYaml: string) {
  const document = parseDocument(kubeconfigYaml);
  if (document.errors.length > 0) throw new Error(`The kubeconfig from Azure is not valid YAML: ${document.errors[0]!.message}`);
  return document;
}

/** The current context's user (the first user when the context names none) and where it sits in `users`. */
function currentUser(document: ReturnType<typeof parseDocument>): { index: number; user: Record<string, unknown> } | null {
  const config = document.toJS() as Kubeconfig | null;
  const contextName = config?.["current-context"];
  const userName = config?.contexts?.find((context) => context.name === contextName)?.context?.user ?? config?.users?.[0]?.name;
  const index = config?.users?.findIndex((user) => user.name === userName) ?? -1;
  return index < 0 ? null : { index, user: config!.users![index]!.user ?? {} };
}
