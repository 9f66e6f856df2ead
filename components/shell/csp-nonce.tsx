"use client";
import { z } from "zod";

// Zod 4 probes `new Function("")` once to decide whether to compile its
// parsers; under Wharf's CSP (no 'unsafe-eval') the probe is refused and the
// browser reports a violation. The forms' schemas are small: parse without it.
// Only in the browser: the server keeps the compiled parsers.
if (typeof window !== "undefined") z.config({ jitless: true });

declare global {
  var __webpack_nonce__: string | undefined;
}

/**
 * Hands this page's CSP nonce to libraries that add <style> elements while
 * running (Radix's scroll lock, through react-style-singleton, reads
 * `__webpack_nonce__`), so their styles are not blocked. Set during render,
 * before any effect of the page's components can add a style.
 */
export function CspNonce({ nonce }: { nonce?: string }) {
  if (typeof window !== "undefined" && nonce) globalThis.__webpack_nonce__ = nonce;
  return null;
}
