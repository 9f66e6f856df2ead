// MSAL's network hook for tests: node:https trusting the sandbox CA, because
// Node reads NODE_EXTRA_CA_CERTS only at process start. Wharf has its own in lib/auth.
import { request } from "node:https";
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";

function send<T>(method: "GET" | "POST", url: string, ca: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: options?.headers, ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
        }
        const text = Buffer.concat(chunks).toString("utf8");
        try {
          resolve({ status: res.statusCode ?? 0, headers, body: JSON.parse(text) as T });
        } catch {
          reject(new Error(`${method} ${url} answered ${res.statusCode} with non-JSON: ${text.slice(0, 200)}`));
        }
      });
    });
    req.on("error", reject);
    if (options?.body !== undefined) req.write(options.body);
    req.end();
  });
}

export function httpsNetworkClient(ca: string): INetworkModule {
  return {
    sendGetRequestAsync: (url, options) => send("GET", url, ca, options),
    sendPostRequestAsync: (url, options) => send("POST", url, ca, options),
  };
}
