// `npm run sandbox [-- --reset] [-- --port N]`: run the sandbox on its own,
// for `npm run dev` against it or for poking at it with curl.
import { parseArgs } from "node:util";
import { setFlagsFromString } from "node:v8";

// V8 sizes the young generation from the machine's memory (128 MB on a 24 GiB
// machine), and once start-up's allocations have grown it, that memory stays
// resident. 8 MB semi-spaces cost the sandbox no measurable latency and keep
// it under its 300 MB budget at 10,000 pods (bench/sandbox-kubernetes.ts).
// It must be set before the heavy imports below grow the heap.
setFlagsFromString("--max-semi-space-size=8");
const { startSandbox } = await import("./server");

const { values } = parseArgs({
  options: { reset: { type: "boolean", default: false }, port: { type: "string" } },
});

const port = Number(values.port ?? process.env.SANDBOX_PORT ?? 8443);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a whole number from 0 to 65535, got "${values.port ?? process.env.SANDBOX_PORT}"`);
  process.exit(2);
}

const browserPort = Number(process.env.SANDBOX_BROWSER_PORT ?? 8080);
const sandbox = await startSandbox({ dataDir: process.env.WHARF_DATA_DIR ?? ".data", port, browserPort, reset: values.reset });
console.log(`Wharf sandbox listening on https://localhost:${sandbox.port}`);
console.log(`  endpoints file: ${sandbox.endpointsFile}`);
console.log(`  authority:      ${sandbox.endpoints.authority}`);
console.log(`  sign-in pages:  ${sandbox.endpoints.browserOrigin} (plain http: browsers do not trust the sandbox CA)`);
console.log(`  trust the CA:   NODE_EXTRA_CA_CERTS=${sandbox.endpoints.caBundleFile}`);

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping the sandbox`);
  await sandbox.close();
  process.exit(0);
}
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
