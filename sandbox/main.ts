// `npm run sandbox [-- --reset] [-- --port N]`: run the sandbox on its own,
// for `npm run dev` against it or for poking at it with curl. `npm start`
// runs this file too, as a child process (`--ipc`), so the sandbox has the
// same heap limits (kubernetes/heap-limits.ts) there.
import { spawn } from "node:child_process";
import { parseArgs } from "node:util";
import { hasHeapLimit, sandboxHeapFlags } from "./kubernetes/heap-limits";

// Without heap limits (see heap-limits.ts) the sandbox runs itself again with them.
if (!hasHeapLimit()) {
  const child = spawn(process.execPath, [...process.execArgv, ...sandboxHeapFlags(), ...process.argv.slice(1)], {
    stdio: ["inherit", "inherit", "inherit", ...(process.send ? ["ipc" as const] : [])],
  });
  // Relay what the parent is told: messages from the launcher, signals from a terminal or a test.
  child.on("message", (message) => process.send?.(message));
  process.on("disconnect", () => child.kill("SIGTERM"));
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  await run();
}

async function run() {
  const { startSandbox } = await import("./server").catch((error: unknown) => {
    // oidc-provider and node-forge are development dependencies (decision 0055): the container image and
    // `npm ci --omit=dev` leave them out, with the rest of the sandbox.
    if ((error as NodeJS.ErrnoException).code !== "ERR_MODULE_NOT_FOUND") throw error;
    console.error(
      `The sandbox needs its development dependencies (${(error as Error).message.split("\n")[0]}): run \`npm install\`, ` +
        "which installs them, or point Wharf at Azure (WHARF_MODE=azure) instead.",
    );
    process.exit(1);
  });
  const { values } = parseArgs({
    options: {
      reset: { type: "boolean", default: false },
      port: { type: "string" },
      // For scripts/start.ts: report the endpoints over IPC instead of printing them, and stop when the launcher goes.
      ipc: { type: "boolean", default: false },
      "redirect-uri": { type: "string", multiple: true },
    },
  });

  const port = Number(values.port ?? process.env.SANDBOX_PORT ?? 8443);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a whole number from 0 to 65535, got "${values.port ?? process.env.SANDBOX_PORT}"`);
    process.exit(2);
  }

  const browserPort = Number(process.env.SANDBOX_BROWSER_PORT ?? 8080);
  const sandbox = await startSandbox({
    dataDir: process.env.WHARF_DATA_DIR ?? ".data",
    port,
    browserPort,
    reset: values.reset,
    redirectUris: values["redirect-uri"],
  });

  let stopping = false;
  async function stop(signal: string) {
    if (stopping) return;
    stopping = true;
    if (!values.ipc) console.log(`${signal}: stopping the sandbox`);
    await sandbox.close();
    process.exit(0);
  }
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));

  if (values.ipc && process.send) {
    process.on("disconnect", () => void stop("disconnect"));
    process.send({ type: "ready", endpoints: sandbox.endpoints, endpointsFile: sandbox.endpointsFile });
    return;
  }
  console.log(`Wharf sandbox listening on https://localhost:${sandbox.port}`);
  console.log(`  endpoints file: ${sandbox.endpointsFile}`);
  console.log(`  authority:      ${sandbox.endpoints.authority}`);
  console.log(`  sign-in pages:  ${sandbox.endpoints.browserOrigin} (plain http: browsers do not trust the sandbox CA)`);
  console.log(`  trust the CA:   NODE_EXTRA_CA_CERTS=${sandbox.endpoints.caBundleFile}`);
}
