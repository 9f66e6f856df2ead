// The V8 heap limits the sandbox process runs with. The Kubernetes stand-in's
// objects are most of the sandbox's memory (10,000 pods and their ~40,000
// events in bench/sandbox-kubernetes.ts), and V8 sizes its heap from the
// machine's memory: on a 24 GiB machine the young generation alone grew to
// 128 MB resident and the old generation to twice the live heap, 600+ MB in
// all. These flags only work when the process starts (`v8.setFlagsFromString`
// later does not shrink the young generation), so `sandbox/main.ts` runs itself
// again with them when they are missing, and `npm start` passes them to the
// sandbox's child process. SANDBOX_MAX_HEAP_MB raises the old-space cap.
export function sandboxHeapFlags(env: NodeJS.ProcessEnv = process.env): string[] {
  return [`--max-old-space-size=${Number(env.SANDBOX_MAX_HEAP_MB) || 256}`, "--max-semi-space-size=8"];
}

/** Whether this process already runs with an old-space cap (from its command line or NODE_OPTIONS). */
export function hasHeapLimit(execArgv: readonly string[] = process.execArgv, env: NodeJS.ProcessEnv = process.env): boolean {
  return [...execArgv, ...(env.NODE_OPTIONS ?? "").split(/\s+/)].some((flag) => flag.startsWith("--max-old-space-size"));
}
