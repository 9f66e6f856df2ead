import "server-only";
// The answer to a browser past a sign-in rate limit: 429 with Retry-After and
// a small page that says what happened and when to try again. A route handler
// cannot render a Next page, so this one is plain HTML without scripts or
// inline styles (the Content Security Policy allows neither).
import { NextResponse } from "next/server";

const escape = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

export function rateLimitedPage(message: string, retryAfterSeconds = 60): NextResponse {
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>Too many sign-ins · Wharf</title></head><body><main role="alert"><h1>Too many sign-ins</h1><p>${escape(message)}</p>` +
    `<p><a href="/sign-in">Try signing in again</a></p></main></body></html>`;
  return new NextResponse(html, {
    status: 429,
    headers: { "content-type": "text/html; charset=utf-8", "retry-after": String(retryAfterSeconds), "cache-control": "no-store" },
  });
}
