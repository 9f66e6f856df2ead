// What a CI pipeline does against the sandbox: the client-credentials grant at
// the authority's token endpoint, secret in the body (client_secret_post) or
// in a Basic header (client_secret_basic).
import { readFileSync } from "node:fs";
import { request } from "node:https";
import { dirname } from "node:path";
import { loadOrCreateSigningKeys } from "../identity";
import type { PipelineKey } from "../pipelines";
import type { SandboxEndpoints } from "../server";

export interface EndpointPipeline {
  key: PipelineKey;
  displayName: string;
  clientId: string;
  clientSecret: string;
  objectId: string;
  roles: string[];
}

export function endpointPipeline(endpoints: SandboxEndpoints, key: PipelineKey): EndpointPipeline {
  const found = (endpoints.pipelines as EndpointPipeline[] | undefined)?.find((pipeline) => pipeline.key === key);
  if (!found) throw new Error(`endpoints.json lists no pipeline "${key}"`);
  return found;
}

export interface TokenResponse {
  status: number;
  body: Record<string, unknown>;
}

export function requestClientCredentialsToken(
  endpoints: SandboxEndpoints,
  { clientId, clientSecret, scope, basic = false }: { clientId: string; clientSecret: string; scope?: string; basic?: boolean },
): Promise<TokenResponse> {
  const form = new URLSearchParams({ grant_type: "client_credentials" });
  if (scope !== undefined) form.set("scope", scope);
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" };
  if (basic) headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString("base64")}`;
  else {
    form.set("client_id", clientId);
    form.set("client_secret", clientSecret);
  }
  return new Promise((resolve, reject) => {
    const req = request(`${endpoints.authority}/token`, { method: "POST", headers, ca: readFileSync(endpoints.caFile, "utf8"), agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown> }));
    });
    req.on("error", reject);
    req.end(form.toString());
  });
}

/** A pipeline's access token for Wharf's API, as `az account get-access-token` would return it. */
export async function pipelineAccessToken(endpoints: SandboxEndpoints, key: PipelineKey): Promise<string> {
  const pipeline = endpointPipeline(endpoints, key);
  const response = await requestClientCredentialsToken(endpoints, {
    clientId: pipeline.clientId,
    clientSecret: pipeline.clientSecret,
    scope: endpoints.wharfApiScope as string,
  });
  if (response.status !== 200) throw new Error(`token request for ${key} failed: ${JSON.stringify(response.body)}`);
  return response.body.access_token as string;
}

/** The sandbox's private signing key, for tests that need tokens the token endpoint would never issue (expired, other tenant). */
export function sandboxSigningKey(endpointsFile = process.env.SANDBOX_ENDPOINTS_FILE): JsonWebKey & { kid?: string } {
  if (!endpointsFile) throw new Error("SANDBOX_ENDPOINTS_FILE is not set");
  return loadOrCreateSigningKeys(dirname(endpointsFile)).keys[0] as JsonWebKey & { kid?: string };
}
