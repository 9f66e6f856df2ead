// The KQL tile check (decision 0050): Microsoft's parser in its own thread,
// against loading it in the calling process as before. Prints, for each: the
// first check's wall time (the parser's load included), the longest the
// calling process's event loop was held meanwhile, the calling process's heap
// and RSS after the load, warm checks per second, and what the process keeps
// once the thread has ended (as it does after 10 idle minutes).
//
// Each way runs in a process of its own (the bench starts itself again), so
// neither inherits the other's memory.
//
//   npx tsx bench/kql-parser.ts [--checks 200]
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { runInThisContext } from "node:vm";
import { checkKqlQuery, stopKqlThread } from "../lib/boards/kql-query";

const flag = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const checks = Number(flag("--checks") ?? 200);
const mode = flag("--mode");
const query =
  "AppRequests\n| where TimeGenerated > ago(1h)\n| summarize requests = count(), failed = countif(Success == false) by bin(TimeGenerated, 5m), AppRoleName";
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const gc = () => (globalThis as { gc?: () => void }).gc?.();

async function measure(label: string, check: () => Promise<unknown>, after?: () => Promise<void>) {
  gc();
  const before = process.memoryUsage();
  // The longest gap between the ticks of a 5 ms timer: how long the event loop was held at once.
  let last = performance.now();
  let longestGap = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    longestGap = Math.max(longestGap, now - last);
    last = now;
  }, 5);
  await new Promise((resolve) => setTimeout(resolve, 50));
  let started = performance.now();
  await check();
  const firstMs = performance.now() - started;
  // A tick due during a synchronous load fires only after it: wait for it.
  await new Promise((resolve) => setTimeout(resolve, 50));
  clearInterval(ticker);
  gc();
  const loaded = process.memoryUsage();
  started = performance.now();
  for (let i = 0; i < checks; i++) await check();
  const perSecond = checks / ((performance.now() - started) / 1000);
  await after?.();
  gc();
  const end = process.memoryUsage();
  console.log(`${label}`);
  console.log(`  first check (parser load included): ${firstMs.toFixed(0)} ms; longest event-loop stall meanwhile: ${longestGap.toFixed(0)} ms`);
  console.log(`  this process after the load: heap +${mb(loaded.heapUsed - before.heapUsed)}, RSS +${mb(loaded.rss - before.rss)}`);
  console.log(`  warm checks: ${perSecond.toFixed(0)}/s over ${checks}`);
  if (after) console.log(`  after the thread ended: heap +${mb(end.heapUsed - before.heapUsed)}, RSS +${mb(end.rss - before.rss)}`);
}

if (mode === "thread") {
  await measure(
    "In its own thread (lib/boards/kql-query.ts, decision 0050)",
    () => checkKqlQuery(query),
    () => stopKqlThread(),
  );
} else if (mode === "in-process") {
  // As before 0050: the package's two scripts run in this process's global context.
  const require = createRequire(import.meta.url);
  await measure("In this process (as before decision 0050)", () => {
    const global = globalThis as { Kusto?: { Language: { KustoCode: { Parse(text: string): { GetDiagnostics(): { Count: number } } } } } };
    if (!global.Kusto)
      for (const file of ["bridge.min.js", "Kusto.Language.Bridge.min.js"]) {
        const path = require.resolve(`@kusto/language-service-next/${file}`);
        runInThisContext(readFileSync(path, "utf8"), { filename: path });
      }
    return Promise.resolve(global.Kusto!.Language.KustoCode.Parse(query).GetDiagnostics().Count);
  });
} else {
  for (const each of ["thread", "in-process"])
    process.stdout.write(
      execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", import.meta.filename, "--mode", each, "--checks", String(checks)], {
        encoding: "utf8",
      }),
    );
}
