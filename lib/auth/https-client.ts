// HTTPS for the identity provider and Microsoft Graph. It trusts the system
// roots plus, in the sandbox, the sandbox's own CA: TLS checks stay on.
import { request } from "node:https";
import { readFileSync } from "node:fs";
import { rootCertificates } from "node:tls";
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";

export interface HttpsResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const caCache = new Map<string, string[]>();

function trustedCAs(extraCaFile?: string): string[] | undefined {
  if (!extraCaFile) return undefined;
  let ca = caCache.get(extraCaFile);
  if (!ca) {
    ca = [...rootCertificates, readFileSync(extraCaFile, "utf8")];
    caCache.set(extraCaFile, ca);
  }
  return ca;
}

export function httpsRequest(
  url: string,
  init: { method: "GET" | "POST"; headers?: Record<string, string>; body?: string; timeoutMs?: number; caFile?: string },
): Promise<HttpsResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method, headers: init.headers, ca: trustedCAs(init.caFile), timeout: init.timeoutMs ?? 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
        }
        resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString("utf8") });
      });
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`Request to ${new URL(url).host} timed out`)));
    req.on("error", reject);
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}

function parseBody<T>(body: string): T {
  if (body === "") return {} as T;
  try {
    return JSON.parse(body) as T;
  } catch {
    return { error: "invalid_response", error_description: body.slice(0, 200) } as T;
  }
}

/** MSAL's network module over node:https with the configured trust. */
export function networkClient(caFile?: string): INetworkModule {
  async function send<T>(method: "GET" | "POST", url: string, options?: NetworkRequestOptions, timeoutMs?: number): Promise<NetworkResponse<T>> {
    const response = await httpsRequest(url, { method, headers: options?.headers, body: options?.body, timeoutMs, caFile });
    return { status: response.status, headers: response.headers, body: parseBody<T>(response.body) };
  }
  return {
    sendGetRequestAsync: (url, options, timeout) => send("GET", url, options, timeout),
    sendPostRequestAsync: (url, options) => send("POST", url, options),
  };
}
