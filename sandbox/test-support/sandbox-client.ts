// What a test needs to act like Wharf against the running sandbox: the
// endpoints, an MSAL app configured as Wharf configures it, and a sign-in.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { request } from "node:https";
import { ConfidentialClientApplication, CryptoProvider, type AuthenticationResult } from "@azure/msal-node";
import type { PersonaKey } from "../personas";
import type { SandboxEndpoints } from "../server";
import { TestBrowser, type BrowserResponse } from "./browser";
import { httpsNetworkClient } from "./https-network-client";

export const testRedirectUri = "http://localhost:3999/auth/callback";

export function readEndpoints(file = process.env.SANDBOX_ENDPOINTS_FILE): SandboxEndpoints {
  if (!file) throw new Error("SANDBOX_ENDPOINTS_FILE is not set: run through vitest so sandbox/test-global-setup.ts starts the sandbox");
  return JSON.parse(readFileSync(file, "utf8")) as SandboxEndpoints;
}

export function wharfMsalApp(endpoints: SandboxEndpoints): ConfidentialClientApplication {
  const ca = readFileSync(endpoints.caFile, "utf8");
  return new ConfidentialClientApplication({
    auth: {
      clientId: endpoints.clientId,
      clientSecret: endpoints.clientSecret,
      authority: endpoints.authority,
      knownAuthorities: [new URL(endpoints.authority).host],
    },
    system: { protocolMode: "OIDC", networkClient: httpsNetworkClient(ca) },
  });
}

export interface StartedSignIn {
  app: ConfidentialClientApplication;
  browser: TestBrowser;
  picker: BrowserResponse;
  verifier: string;
  state: string;
  nonce: string;
  redirectUri: string;
}

/** Wharf's first leg: build the authorize URL and open it; returns the persona picker page. */
export async function startSignIn(
  endpoints: SandboxEndpoints,
  {
    redirectUri = testRedirectUri,
    browser = new TestBrowser(readFileSync(endpoints.caFile, "utf8")),
    app = wharfMsalApp(endpoints),
  }: { redirectUri?: string; browser?: TestBrowser; app?: ConfidentialClientApplication } = {},
): Promise<StartedSignIn> {
  const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
  const state = randomBytes(16).toString("base64url");
  const nonce = randomBytes(16).toString("base64url");
  const url = await app.getAuthCodeUrl({
    scopes: ["User.Read"],
    redirectUri,
    codeChallenge: challenge,
    codeChallengeMethod: "S256",
    state,
    nonce,
  });
  const picker = await browser.go(url);
  return { app, browser, picker, verifier, state, nonce, redirectUri };
}

/** Picks a persona and exchanges the code exactly as Wharf's callback will. */
export async function signIn(
  endpoints: SandboxEndpoints,
  persona: PersonaKey,
  options: { browser?: TestBrowser; app?: ConfidentialClientApplication } = {},
): Promise<AuthenticationResult> {
  const started = await startSignIn(endpoints, options);
  const callback = await started.browser.submit(started.picker, "/login", { persona });
  const location = new URL(callback.location ?? "");
  if (location.searchParams.get("state") !== started.state) throw new Error(`state mismatch in ${location.href}`);
  const code = location.searchParams.get("code");
  if (!code) throw new Error(`no code in ${location.href}`);
  return started.app.acquireTokenByCode({
    code,
    codeVerifier: started.verifier,
    redirectUri: started.redirectUri,
    scopes: ["User.Read"],
    nonce: started.nonce,
    state: started.state,
  });
}

export interface JsonResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export function httpsJson(url: string, init: { ca: string | string[]; method?: string; token?: string; body?: unknown }): Promise<JsonResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { accept: "application/json" };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    if (init.body !== undefined) headers["content-type"] = "application/json";
    const req = request(url, { method: init.method ?? "GET", headers, ca: init.ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? (JSON.parse(text) as unknown) : undefined });
      });
    });
    req.on("error", reject);
    if (init.body !== undefined) req.write(JSON.stringify(init.body));
    req.end();
  });
}
