// Calls a route handler as Next.js would for a signed-in browser, in tests:
// the request scope `cookies()` reads (lib/auth/current-actor.ts) is set up
// with the session cookie, and mutations carry Wharf's own Origin. Nothing is
// replaced: the handler, its use cases and PostgreSQL are the real ones.
import "@/lib/api/async-local-storage-global";
import { NextRequest } from "next/server";
import { RequestCookies } from "next/dist/server/web/spec-extension/cookies";
import type { WorkStore } from "next/dist/server/app-render/work-async-storage.external";
import type { WorkUnitStore } from "next/dist/server/app-render/work-unit-async-storage.external";
import { getConfig } from "@/lib/config";
import { sessionCookieName } from "@/lib/auth/session";

export type RouteHandler = (request: NextRequest, context: { params: Promise<Record<string, string>> }) => Promise<Response> | Response;

export interface RouteCall {
  method: string;
  /** The path and query as sent, e.g. /api/v1/services/x?team=a; sent as-is (no re-encoding). */
  url: string;
  params?: Record<string, string>;
  sessionToken?: string;
  /** Other cookies the browser would send, e.g. a wall screen's display cookie. */
  cookies?: Record<string, string>;
  body?: string;
  contentType?: string;
  /** Other request headers, e.g. X-Forwarded-For as a proxy in front would send it. */
  headers?: Record<string, string>;
}

async function requestStorage() {
  const [{ workAsyncStorage }, { workUnitAsyncStorage }] = await Promise.all([
    import("next/dist/server/app-render/work-async-storage.external"),
    import("next/dist/server/app-render/work-unit-async-storage.external"),
  ]);
  return { workAsyncStorage, workUnitAsyncStorage };
}

export async function callRoute(handler: RouteHandler, call: RouteCall): Promise<Response> {
  const origin = getConfig().publicUrl;
  const headers = new Headers(call.headers);
  const cookies = { ...(call.sessionToken ? { [sessionCookieName]: call.sessionToken } : {}), ...call.cookies };
  if (Object.keys(cookies).length > 0)
    headers.set(
      "cookie",
      Object.entries(cookies)
        .map(([name, value]) => `${name}=${value}`)
        .join("; "),
    );
  if (call.method !== "GET" && call.method !== "HEAD") headers.set("origin", new URL(origin).origin);
  if (call.body !== undefined) headers.set("content-type", call.contentType ?? "application/json");
  const request = new NextRequest(new URL(call.url, origin), { method: call.method, headers, body: call.body });
  const workStore = {
    route: new URL(call.url, origin).pathname,
    forceStatic: false,
    dynamicShouldError: false,
    isStaticGeneration: false,
  } as unknown as WorkStore;
  const requestStore = { type: "request", phase: "render", cookies: new RequestCookies(headers), headers } as unknown as WorkUnitStore;
  const { workAsyncStorage, workUnitAsyncStorage } = await requestStorage();
  return workAsyncStorage.run(workStore, () => workUnitAsyncStorage.run(requestStore, () => handler(request, { params: Promise.resolve(call.params ?? {}) })));
}
