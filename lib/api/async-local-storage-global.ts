// Next's request stores need AsyncLocalStorage on globalThis when their
// module loads (the Next server sets it at startup). Tests that call route
// handlers inside a request scope import this before anything from Next.
import { AsyncLocalStorage } from "node:async_hooks";

(globalThis as { AsyncLocalStorage?: unknown }).AsyncLocalStorage ??= AsyncLocalStorage;
