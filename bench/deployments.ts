// Deployments at scale: 100 rollouts in flight at once on one sandbox
// cluster. Everything is set up through the API as people would (personas
// "payments" and "admin"): namespaces requested and approved, services
// registered with a deploy spec, then all deployments sent at once, most with
// a good tag, some with tag `bad` (ImagePullBackOff) and some with `crash`
// (CrashLoopBackOff). The web app runs under `scripts/start.ts` with
// WHARF_WORKER=off; the pg-boss worker runs in this process, so an observer on
// Wharf's own Kubernetes requests counts the watch streams it opens. Prints,
// each with its target and whether it is met: every final state, open watch
// streams per cluster and kind, web p95 while the rollouts run, and the time
// from the sandbox marking a pod Ready to a client that follows the page's SSE
// stream (the deployment pushed on every change, a poll every 15 s) seeing it
// in the ready count. Asserts nothing.
//
//   npx tsx bench/deployments.ts [--rollouts 100] [--keep-build] [--live-worker] [--pace-ms 250]
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { join } from "node:path";
import { KubeConfig, Watch } from "@kubernetes/client-node";
import { startBenchWharf } from "./bench-wharf";
import { BenchBrowser } from "./http-session";
import { coalesce, refetchIntervalMs } from "../lib/changes/coalesce";
import type { ClusterInformer } from "../lib/kubernetes/informer";
import { percentile } from "./process-stats";
import { runBench } from "./run-bench";

const arg = (name: string, fallback: number) => Number(process.argv[process.argv.indexOf(name) + 1] ?? NaN) || fallback;
const rolloutCount = arg("--rollouts", 100);
const keepBuild = process.argv.includes("--keep-build");
const liveWorker = process.argv.includes("--live-worker");
/** The browsing client starts a request every this many ms (or when the last one ends, if later); 0: back to back. */
const paceMs = process.argv.includes("--pace-ms") ? Number(process.argv[process.argv.indexOf("--pace-ms") + 1]) : 250;
const port = Number(process.env.BENCH_PORT ?? 3202);
const base = `http://localhost:${port}`;
const clusterName = "aks-dev-weu";
const perNamespace = 25;
const managedSelector = "app.kubernetes.io/managed-by=wharf";
const plurals = new Set([
  "namespaces",
  "resourcequotas",
  "limitranges",
  "serviceaccounts",
  "rolebindings",
  "networkpolicies",
  "deployments",
  "replicasets",
  "pods",
  "services",
  "events",
]);

type Outcome = "good" | "bad" | "crash";
const expected: Record<Outcome, { status: string; reason: string | null }> = {
  good: { status: "succeeded", reason: null },
  bad: { status: "failed", reason: "ImagePullBackOff" },
  crash: { status: "failed", reason: "CrashLoopBackOff" },
};

interface View {
  id: string;
  status: string;
  reason: string | null;
  inFlight: boolean;
  counts: { desired: number; updated: number; ready: number; available: number };
  pods: { name: string; ready: boolean }[];
  updatedAt: string;
}

type PodObject = {
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
  status?: { conditions?: { type: string; status: string }[] };
};

interface Rollout {
  slug: string;
  namespace: string;
  namespaceId: string;
  outcome: Outcome;
  replicas: number;
  id?: string;
  view?: View;
  /** When a refetch first showed the ready count at k (index k-1), and a pod by name as ready. */
  countSeenAt: number[];
  /** When the refetch that first showed it was sent: on a change event (or a poll). */
  countAskedAt: number[];
  /** When Wharf wrote the row that first had the k-th ready pod (its updatedAt), on this process's performance clock. */
  countWrittenAt: number[];
  podSeenAt: Map<string, number>;
  postedAt?: number;
  endedAt?: number;
  /** When the newest answer applied was asked for. */
  lastSent: number;
}

function met(ok: boolean): string {
  return ok ? "met" : "NOT met";
}

const ms = (value: number) => `${value.toFixed(0)} ms`;

async function api<T>(browser: BenchBrowser, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { cookie: browser.header(), ...(body !== undefined && { "content-type": "application/json", origin: base }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 400)}`);
  return JSON.parse(text) as T;
}

/** CPU seconds (user + system) so far of this process (the worker), and of the web, sandbox and PostgreSQL processes. */
function cpuSeconds(launcherPid: number): Record<string, number> {
  const rows = execFileSync("ps", ["-e", "-o", "pid=,ppid=,args="], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match) => match !== null)
    .map((match) => ({ pid: Number(match[1]), ppid: Number(match[2]), args: match[3]! }));
  const tree = (pid: number): typeof rows => rows.filter((row) => row.ppid === pid).flatMap((row) => [row, ...tree(row.pid)]);
  const ticks = (pid: number) => {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      return (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      return 0;
    }
  };
  const own = process.cpuUsage();
  const totals: Record<string, number> = { "bench process (worker)": (own.user + own.system) / 1e6, web: 0, sandbox: 0, PostgreSQL: 0 };
  for (const row of tree(launcherPid)) {
    if (/next/.test(row.args)) totals.web! += ticks(row.pid);
    else if (/sandbox\/main/.test(row.args)) totals.sandbox! += ticks(row.pid);
  }
  for (const row of tree(process.pid)) if (/postgres/.test(row.args)) totals.PostgreSQL! += ticks(row.pid);
  return totals;
}

async function inBatches<T>(items: T[], size: number, run: (item: T) => Promise<unknown>) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}

/**
 * Follows `GET /api/v1/stream?topic=...` as EventSource does: `onView` for each
 * `view` event (the deployment pushed), `onChange` for each `change` notice.
 */
function followStream(
  browser: BenchBrowser,
  topic: string,
  signal: AbortSignal,
  handlers: { onView: (view: View) => void; onChange: () => void; onOpen: () => void },
): void {
  void (async () => {
    while (!signal.aborted) {
      try {
        const response = await fetch(`${base}/api/v1/stream?topic=${encodeURIComponent(topic)}`, {
          headers: { cookie: browser.header(), accept: "text/event-stream" },
          signal,
        });
        if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
        handlers.onOpen();
        const decoder = new TextDecoder();
        let pending = "";
        const reader = response.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          pending += decoder.decode(value, { stream: true });
          let end = pending.indexOf("\n\n");
          while (end >= 0) {
            const block = pending.slice(0, end);
            pending = pending.slice(end + 2);
            if (/^event: change$/m.test(block)) handlers.onChange();
            else if (/^event: view$/m.test(block)) handlers.onView((JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as { view: View }).view);
            end = pending.indexOf("\n\n");
          }
        }
      } catch {
        if (signal.aborted) return;
      }
      // EventSource reconnects after the server's retry (3 s).
      await new Promise((done) => setTimeout(done, 3000));
    }
  })();
}

async function main() {
  const wharf = await startBenchWharf({ name: "bench-deployments", port, keepBuild: keepBuild, env: { WHARF_WORKER: "off" } });
  const web = wharf.launcher;
  let stopWorker: (() => Promise<void>) | undefined;
  const streams = new AbortController();
  const watches: { abort(): void }[] = [];
  try {
    console.log(`Wharf (${keepBuild ? "existing build" : "rebuilt"}) ready on port ${port} after ${wharf.startSeconds.toFixed(0)} s`);

    // The worker, here: as the launcher sets its environment for the web process.
    const endpointsFile = join(wharf.dataDir, "sandbox", "endpoints.json");
    Object.assign(process.env, {
      DATABASE_URL: wharf.databaseUrl,
      SANDBOX_ENDPOINTS_FILE: endpointsFile,
      WHARF_MODE: "sandbox",
      WHARF_DATA_DIR: wharf.dataDir,
      LOG_LEVEL: "warn",
    });
    const { startWorker } = await import("../lib/jobs/worker");
    const { jobDefinitions } = await import("../lib/worker/job-registry");
    const { observeKubeRequests } = await import("../lib/kubernetes/request");
    const { stopRolloutInformers, rolloutKinds } = await import("../lib/deployments/rollout-informers");

    // Watch streams Wharf holds open, per cluster and resource, from its own requests.
    const openWatches = new Map<string, number>();
    const mostOpen = new Map<string, number>();
    const watchesOpened = new Map<string, number>();
    const otherRequests = new Map<string, number>();
    observeKubeRequests((event) => {
      const url = new URL(event.path, "https://cluster");
      const cluster = /\/k8s\/([^/]+)/.exec(event.server)?.[1] ?? event.server;
      const resource = url.pathname.split("/").at(-1)!;
      if (url.searchParams.get("watch") === "1") {
        const key = `${cluster} ${resource}`;
        if (event.phase === "start") {
          const open = (openWatches.get(key) ?? 0) + 1;
          openWatches.set(key, open);
          mostOpen.set(key, Math.max(mostOpen.get(key) ?? 0, open));
          watchesOpened.set(key, (watchesOpened.get(key) ?? 0) + 1);
        } else openWatches.set(key, (openWatches.get(key) ?? 1) - 1);
      } else if (event.phase === "start") {
        // "PATCH deployments {name}", "GET pods" (a list): what else Wharf asked the cluster while the rollouts ran.
        const parts = url.pathname.split("/");
        const at = parts.findLastIndex((part) => plurals.has(part));
        const key = `${event.method} ${cluster} ${parts[at] ?? url.pathname}${at >= 0 && at < parts.length - 1 ? " {name}" : ""}`;
        otherRequests.set(key, (otherRequests.get(key) ?? 0) + 1);
      }
    });
    // By default the rollout queue is worked once every deployment is queued, so all of them are in flight at
    // once (the first would otherwise finish while the last are still being created); --live-worker works it from the start.
    const { queueNames } = await import("../lib/jobs/queues");
    const worker = await startWorker(
      liveWorker ? { definitions: jobDefinitions } : { definitions: jobDefinitions, queues: queueNames.filter((queue) => queue !== "deployment.rollout") },
    );
    stopWorker = () => worker.stop();

    const member = new BenchBrowser();
    await member.signIn(base, "payments");
    const admin = new BenchBrowser();
    await admin.signIn(base, "admin");

    // Namespaces: requested by the team, approved by an admin, with room for 25 services each.
    const namespaceCount = Math.ceil(rolloutCount / perNamespace);
    const { teams } = await api<{ teams: { id: string; slug: string }[] }>(member, "GET", "/api/v1/teams");
    const { clusters } = await api<{ clusters: { id: string; name: string }[] }>(member, "GET", "/api/v1/clusters");
    const teamId = teams.find((team) => team.slug === "payments")!.id;
    const clusterId = clusters.find((cluster) => cluster.name === clusterName)!.id;
    const policies = await api<{ environment: string; ceilings: unknown; maxNamespacesPerTeam: number; allowSelfApproval: boolean }[]>(
      admin,
      "GET",
      "/api/v1/namespace-policies",
    );
    const dev = policies.find((policy) => policy.environment === "dev")!;
    if (dev.maxNamespacesPerTeam < namespaceCount + 2)
      await api(admin, "PUT", "/api/v1/namespace-policies", { ...dev, maxNamespacesPerTeam: namespaceCount + 2 });
    const quota = { requestsCpu: "4", limitsCpu: "8", requestsMemory: "8Gi", limitsMemory: "16Gi", pods: "150", storage: "10Gi", loadBalancers: "0" };
    const containerDefaults = { requestCpu: "25m", requestMemory: "32Mi", limitCpu: "100m", limitMemory: "64Mi" };
    const namespaces: { id: string; name: string }[] = [];
    let setup = performance.now();
    for (let n = 0; n < namespaceCount; n++) {
      const name = `payments-bench${n}`;
      const request = await api<{ id: string }>(member, "POST", "/api/v1/namespace-requests", {
        teamId,
        clusterId,
        name,
        quota,
        containerDefaults,
        justification: "Deployments benchmark",
      });
      const { namespaceId } = await api<{ namespaceId: string }>(admin, "POST", `/api/v1/namespace-requests/${request.id}/decision`, { decision: "approve" });
      namespaces.push({ id: namespaceId, name });
    }
    for (const namespace of namespaces) {
      for (let i = 0; ; i++) {
        const { namespace: row } = await api<{ namespace: { status: string; statusMessage?: string } }>(member, "GET", `/api/v1/namespaces/${namespace.id}`);
        if (row.status === "ready") break;
        if (row.status === "failed" || i > 300) throw new Error(`namespace ${namespace.name} is ${row.status}: ${row.statusMessage ?? ""}`);
        await new Promise((done) => setTimeout(done, 200));
      }
    }
    console.log(`${namespaceCount} namespaces requested, approved and ready in ${((performance.now() - setup) / 1000).toFixed(1)} s`);

    // Services: one per rollout, registered by the team with a deploy spec. Every tenth deploys tag bad, every tenth (offset 5) tag crash.
    const rollouts: Rollout[] = Array.from({ length: rolloutCount }, (_, i) => {
      const namespace = namespaces[Math.floor(i / perNamespace)]!;
      const outcome: Outcome = i % 10 === 3 ? "bad" : i % 10 === 7 ? "crash" : "good";
      return {
        slug: `bench-svc-${String(i).padStart(3, "0")}`,
        namespace: namespace.name,
        namespaceId: namespace.id,
        outcome,
        replicas: 1 + (i % 2),
        countSeenAt: [],
        countAskedAt: [],
        countWrittenAt: [],
        podSeenAt: new Map(),
        lastSent: 0,
      };
    });
    setup = performance.now();
    await inBatches(rollouts, 10, (rollout) =>
      api(member, "POST", "/api/v1/services", {
        slug: rollout.slug,
        displayName: `Bench service ${rollout.slug.slice(-3)}`,
        description: "Registered by bench/deployments.ts",
        ownerTeam: "payments",
        tier: "standard",
        lifecycle: "production",
        language: "Go",
        deploySpec: {
          imageRepository: `contoso.azurecr.io/payments/${rollout.slug}`,
          port: 8080,
          replicas: rollout.replicas,
          cpuRequest: "25m",
          cpuLimit: "100m",
          memoryRequest: "32Mi",
          memoryLimit: "64Mi",
          readinessPath: "/ready",
          livenessPath: "/healthz",
        },
      }),
    );
    console.log(`${rolloutCount} services registered in ${((performance.now() - setup) / 1000).toFixed(1)} s`);

    // The bench's own view of the sandbox: a watch on the pods of each namespace, to see when the sandbox marks each pod Ready.
    const endpoints = JSON.parse(readFileSync(endpointsFile, "utf8")) as { port: number; caFile: string };
    const token = (JSON.parse(readFileSync(join(wharf.dataDir, "sandbox", "cluster-tokens.json"), "utf8")) as Record<string, string>)[clusterName]!;
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [
        { name: clusterName, server: `https://localhost:${endpoints.port}/k8s/${clusterName}`, caData: readFileSync(endpoints.caFile).toString("base64") },
      ],
      users: [{ name: "bench", token }],
      contexts: [{ name: "bench", cluster: clusterName, user: "bench" }],
      currentContext: "bench",
    });
    const podReadyAt = new Map<string, number>();
    const podOf = new Map<string, string>(); // pod "namespace/name" -> service slug
    let podWatchReconnects = 0;
    const watchPods = async (namespace: string, resourceVersion?: string): Promise<void> => {
      if (streams.signal.aborted) return;
      let last = resourceVersion;
      // client-node ends a watch after 30 s without a byte; carry on from the last resourceVersion seen, as an informer does.
      const controller = await new Watch(kubeConfig).watch(
        `/api/v1/namespaces/${namespace}/pods`,
        { labelSelector: managedSelector, ...(last && { resourceVersion: last }) },
        (_type, pod: PodObject & { metadata?: { resourceVersion?: string } }) => {
          const now = performance.now();
          last = pod.metadata?.resourceVersion ?? last;
          const key = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
          podOf.set(key, pod.metadata?.labels?.["wharf.io/service"] ?? "");
          if (!podReadyAt.has(key) && pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True")) podReadyAt.set(key, now);
        },
        () => {
          if (streams.signal.aborted) return;
          podWatchReconnects += 1;
          void watchPods(namespace, last);
        },
      );
      watches.push(controller);
    };
    for (const namespace of namespaces) await watchPods(namespace.name);

    // Deploy: every request at once, each followed as its page does: SSE stream, a refetch on every change
    // event, and a poll every 15 s while in flight (the page's fallback; counted apart).
    const refetchTimes = { creating: [] as number[], running: [] as number[] };
    let firstSeenByPoll = 0;
    let pushes = 0;
    // What a page does with a newer view of its deployment, pushed or fetched; `sent` is when it was asked for (or pushed).
    const apply = (rollout: Rollout, view: View, sent: number, now: number, byPoll: boolean) => {
      // A slower, older answer never overwrites a newer one (the page's structuralSharing keeps the newer by updatedAt).
      if (sent < rollout.lastSent || (rollout.view && Date.parse(view.updatedAt) < Date.parse(rollout.view.updatedAt))) return;
      rollout.lastSent = sent;
      rollout.view = { ...rollout.view, ...view };
      for (let k = 1; k <= view.counts.ready; k++) {
        if (rollout.countSeenAt[k - 1] === undefined && byPoll) firstSeenByPoll += 1;
        rollout.countSeenAt[k - 1] ??= now;
        rollout.countAskedAt[k - 1] ??= sent;
        rollout.countWrittenAt[k - 1] ??= Date.parse(view.updatedAt) - performance.timeOrigin;
      }
      for (const pod of view.pods) if (pod.ready && !rollout.podSeenAt.has(pod.name)) rollout.podSeenAt.set(pod.name, now);
      if (!view.inFlight) rollout.endedAt ??= now;
    };
    const refetch = async (rollout: Rollout, byPoll = false) => {
      const sent = performance.now();
      const view = await api<View>(member, "GET", `/api/v1/deployments/${rollout.id}`).catch(() => undefined);
      const now = performance.now();
      refetchTimes[phase].push(now - sent);
      if (view) apply(rollout, view, sent, now, byPoll);
    };
    // Wharf's informer in this process, for a breakdown: when it saw each pod Ready, and each Deployment's readyReplicas.
    const informerPodAt = new Map<string, number>();
    const informerCountAt = new Map<string, number[]>();
    const informerState = globalThis as typeof globalThis & { wharfRolloutInformers?: Map<string, ClusterInformer> };
    let unsubscribe: (() => void) | undefined;

    // While they run: people browsing (the deployment API, the namespaces page, the catalog page), a request every
    // 250 ms (--pace-ms), from just before the deployments are sent; split into while they are being created and after.
    const webTimes: Record<string, { creating: number[]; running: number[] }> = {
      "GET /api/v1/deployments/{id}": { creating: [], running: [] },
      "GET /namespaces (page)": { creating: [], running: [] },
      "GET /catalog (page)": { creating: [], running: [] },
    };
    const webErrors: string[] = [];
    const paths = Object.keys(webTimes);
    let phase: "creating" | "running" = "creating";
    let sampling = true;
    const sampler = (async () => {
      for (let n = 0; sampling; n++) {
        let name = paths[n % paths.length]!;
        const created = rollouts.filter((rollout) => rollout.id);
        const target = created[n % Math.max(1, created.length)];
        if (name.startsWith("GET /api") && !target) name = paths[1]!;
        const path = name.startsWith("GET /api") ? `/api/v1/deployments/${target!.id}` : name.split(" ")[1]!;
        const during = phase;
        const sent = performance.now();
        const response = await fetch(`${base}${path}`, { headers: { cookie: member.header() } }).catch((error: unknown) => error as Error);
        if (response instanceof Error || response.status !== 200) {
          webErrors.push(`${path}: ${response instanceof Error ? response.message : response.status}`);
          continue;
        }
        await response.arrayBuffer();
        webTimes[name]![during].push(performance.now() - sent);
        await new Promise((done) => setTimeout(done, Math.max(0, sent + paceMs - performance.now())));
      }
    })();

    let streamsOpen = 0;
    otherRequests.clear();
    const cpuBefore = cpuSeconds(web.pid!);
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const postTimes: number[] = [];
    const pollers: NodeJS.Timeout[] = [];
    const deployStarted = performance.now();
    await Promise.all(
      rollouts.map(async (rollout) => {
        rollout.postedAt = performance.now();
        const created = await api<View>(member, "POST", "/api/v1/deployments", {
          service: rollout.slug,
          namespaceId: rollout.namespaceId,
          tag: rollout.outcome === "good" ? "1.0.0" : rollout.outcome,
        });
        postTimes.push(performance.now() - rollout.postedAt);
        rollout.id = created.id;
        rollout.view = created;
        await new Promise<void>((opened) =>
          // As the page does (components/shell/use-change-feed.ts): a pushed view is shown at once; a bare notice
          // (none for deployments today) would be one refetch per interval.
          followStream(member, `deployment:${created.id}`, streams.signal, {
            onView: (view) => {
              pushes += 1;
              const now = performance.now();
              apply(rollout, view, now, now, false);
            },
            onChange: coalesce(() => void refetch(rollout), refetchIntervalMs),
            onOpen: () => {
              streamsOpen += 1;
              opened();
            },
          }),
        );
        await refetch(rollout);
        // Each page polls on its own timer, from when it opened.
        pollers.push(setInterval(() => rollout.view?.inFlight && void refetch(rollout, true), 15_000));
      }),
    );
    if (!liveWorker) await startWorker({ definitions: jobDefinitions, queues: ["deployment.rollout"] });
    phase = "running";
    const createSeconds = (performance.now() - deployStarted) / 1000;
    postTimes.sort((a, b) => a - b);
    console.log(
      `${rolloutCount} deployments sent at once through the API, all created after ${createSeconds.toFixed(1)} s (each POST p50 ${ms(percentile(postTimes, 50))}, max ${ms(postTimes.at(-1)!)}); ${streamsOpen} SSE streams open`,
    );
    let mostInFlight = 0;
    const deadline = performance.now() + 10 * 60_000;
    for (;;) {
      if (!unsubscribe) {
        const informer = [...(informerState.wharfRolloutInformers?.values() ?? [])][0];
        unsubscribe = informer?.subscribe((change) => {
          const now = performance.now();
          const key = `${change.namespace}/${change.name}`;
          if (change.kind === "Pod") {
            const pod = informer.get<PodObject>("Pod", change.namespace, change.name);
            if (!informerPodAt.has(key) && pod?.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True")) informerPodAt.set(key, now);
          } else if (change.kind === "Deployment") {
            const ready = informer.get<{ status?: { readyReplicas?: number } }>("Deployment", change.namespace, change.name)?.status?.readyReplicas ?? 0;
            const seen = informerCountAt.get(key) ?? [];
            for (let k = 1; k <= ready; k++) seen[k - 1] ??= now;
            informerCountAt.set(key, seen);
          }
        });
      }
      const inFlight = rollouts.filter((rollout) => rollout.view?.inFlight !== false).length;
      mostInFlight = Math.max(mostInFlight, rollouts.filter((rollout) => rollout.view?.status === "progressing" || rollout.view?.status === "applying").length);
      if (inFlight === 0 || performance.now() > deadline) break;
      await new Promise((done) => setTimeout(done, 100));
    }
    sampling = false;
    for (const poller of pollers) clearInterval(poller);
    unsubscribe?.();
    await sampler;
    const allDone = (performance.now() - deployStarted) / 1000;
    const cpuAfter = cpuSeconds(web.pid!);
    loopDelay.disable();
    streams.abort();
    for (const watch of watches) watch.abort();

    // Final states, as the API reports them.
    const wrong: string[] = [];
    const byOutcome = new Map<Outcome, { count: number; right: number; seconds: number[] }>();
    for (const rollout of rollouts) {
      const view = await api<View>(member, "GET", `/api/v1/deployments/${rollout.id}`);
      const want = expected[rollout.outcome];
      const entry = byOutcome.get(rollout.outcome) ?? { count: 0, right: 0, seconds: [] };
      byOutcome.set(rollout.outcome, entry);
      entry.count += 1;
      if (view.status === want.status && view.reason === want.reason) entry.right += 1;
      else
        wrong.push(
          `${rollout.slug} (tag ${rollout.outcome === "good" ? "1.0.0" : rollout.outcome}): ${view.status}${view.reason ? ` ${view.reason}` : ""}, expected ${want.status}${want.reason ? ` ${want.reason}` : ""}`,
        );
      if (rollout.endedAt !== undefined) entry.seconds.push((rollout.endedAt - rollout.postedAt!) / 1000);
    }
    console.log("");
    console.log(
      `all ${rolloutCount} rollouts ended ${allDone.toFixed(1)} s after the first request (rollout worker ${liveWorker ? "running from the start" : `started once all were queued, ${createSeconds.toFixed(1)} s in`}); most in flight at once (applying or progressing, as the client saw them): ${mostInFlight}`,
    );
    for (const [outcome, entry] of byOutcome) {
      const want = expected[outcome];
      entry.seconds.sort((a, b) => a - b);
      console.log(
        `  ${outcome === "good" ? "tag 1.0.0" : `tag ${outcome}`}: ${entry.right}/${entry.count} ${want.status}${want.reason ? ` (${want.reason})` : ""}; request to final state p50 ${percentile(entry.seconds, 50).toFixed(1)} s, max ${entry.seconds.at(-1)!.toFixed(1)} s`,
      );
    }
    console.log(
      `every final state right: ${wrong.length === 0 ? "yes" : `no, ${wrong.length} wrong`} (target: all ${rolloutCount}: ${met(wrong.length === 0)})`,
    );
    for (const line of wrong.slice(0, 10)) console.log(`  ${line}`);

    // Watch streams: the informer's own count and the requests seen on the wire.
    const informers = [...(informerState.wharfRolloutInformers?.values() ?? [])];
    const most = Math.max(...mostOpen.values());
    console.log(`informers in the worker process: ${informers.length} (one per cluster with rollouts)`);
    for (const [key, open] of [...mostOpen].sort())
      console.log(`  ${key}: at most ${open} watch stream${open === 1 ? "" : "s"} open at once, ${watchesOpened.get(key)} opened in all`);
    for (const informer of informers) {
      for (const [kind, stats] of Object.entries(informer.stats))
        console.log(
          `  informer ${kind}: ${stats.lists} list, ${stats.watches} watch, ${stats.resumes} resumed, ${stats.relists} relisted, ${stats.failures} failures`,
        );
    }
    console.log(
      `watch connections per cluster and kind: at most ${most} (target 1 each, not ${rolloutCount}: ${met(most === 1 && mostOpen.size === rolloutKinds.length)})`,
    );
    console.log(
      `other Kubernetes requests from the worker: ${[...otherRequests]
        .sort()
        .map(([key, count]) => `${key} ${count}`)
        .join(", ")}`,
    );

    // Web while they ran.
    const stats = (times: number[]) => {
      times.sort((a, b) => a - b);
      return times.length ? `p50 ${ms(percentile(times, 50)).padStart(7)}   p95 ${ms(percentile(times, 95)).padStart(7)}   (${times.length})` : "none";
    };
    console.log(
      `web requests, one every ${paceMs} ms or back to back when slower, while the ${rolloutCount} deployments were being created (${createSeconds.toFixed(0)} s) / after, until all ended:`,
    );
    for (const [name, times] of Object.entries(webTimes)) console.log(`  ${name.padEnd(32)} ${stats(times.creating)}  /  ${stats(times.running)}`);
    console.log(`  ${"followers' refetches".padEnd(32)} ${stats(refetchTimes.creating)}  /  ${stats(refetchTimes.running)}`);
    console.log(`  deployment views pushed to the followers: ${pushes}`);
    const creating = Object.values(webTimes)
      .flatMap((times) => times.creating)
      .sort((a, b) => a - b);
    const running = Object.values(webTimes)
      .flatMap((times) => times.running)
      .sort((a, b) => a - b);
    const all = [...creating, ...running].sort((a, b) => a - b);
    const webP95 = percentile(all, 95);
    const p95 = (times: number[]) => (times.length ? percentile(times, 95) : NaN);
    console.log(
      `web p95 while they run: ${ms(webP95)} (p50 ${ms(percentile(all, 50))}) (target < 200 ms: ${met(webP95 < 200 && webErrors.length === 0)}); while the ${rolloutCount} were being created ${ms(p95(creating))} (${met(p95(creating) < 200)}), after ${ms(p95(running))} (${met(p95(running) < 200)})`,
    );
    if (webErrors.length) console.log(`  ${webErrors.length} requests failed, such as ${webErrors.slice(0, 3).join("; ")}`);
    const cpu = Object.entries(cpuAfter).map(([name, seconds]) => `${name} ${(seconds - (cpuBefore[name] ?? 0)).toFixed(0)} s`);
    console.log(
      `CPU time over those ${allDone.toFixed(0)} s (2 cores shared with other work; load average ${loadavg()
        .map((n) => n.toFixed(1))
        .join(" ")}): ${cpu.join(", ")}`,
    );
    console.log(
      `event loop delay in this process (pg-boss worker, informer, rollouts, and the bench's clients): p50 ${ms(loopDelay.percentile(50) / 1e6)}, p99 ${ms(loopDelay.percentile(99) / 1e6)}, max ${ms(loopDelay.max / 1e6)}`,
    );

    // Pod Ready in the sandbox to the page showing it: the k-th pod of a deployment to become ready is in the ready count once it reads k.
    const delays = {
      informerPod: [] as number[],
      informerCount: [] as number[],
      written: [] as number[],
      asked: [] as number[],
      page: [] as number[],
      podRow: [] as number[],
      pageCreating: [] as number[],
      pageRunning: [] as number[],
    };
    let unseen = 0;
    for (const rollout of rollouts.filter((r) => r.outcome === "good")) {
      const ready = [...podReadyAt].filter(([key]) => key.startsWith(`${rollout.namespace}/`) && podOf.get(key) === rollout.slug).sort((a, b) => a[1] - b[1]);
      ready.forEach(([key, at], index) => {
        const seen = rollout.countSeenAt[index];
        if (seen === undefined) unseen += 1;
        else {
          delays.page.push(seen - at);
          delays.asked.push(rollout.countAskedAt[index]! - at);
          delays.written.push(rollout.countWrittenAt[index]! - at);
          (at < deployStarted + createSeconds * 1000 ? delays.pageCreating : delays.pageRunning).push(seen - at);
        }
        const podSeen = rollout.podSeenAt.get(key.split("/")[1]!);
        if (podSeen !== undefined) delays.podRow.push(podSeen - at);
        const informerPod = informerPodAt.get(key);
        if (informerPod !== undefined) delays.informerPod.push(informerPod - at);
        const informerCount = informerCountAt.get(`${rollout.namespace}/${rollout.slug}`)?.[index];
        if (informerCount !== undefined) delays.informerCount.push(informerCount - at);
      });
    }
    for (const list of Object.values(delays)) list.sort((a, b) => a - b);
    const missing = rollouts.filter(
      (r) => r.outcome === "good" && [...podReadyAt.keys()].filter((key) => key.startsWith(`${r.namespace}/`) && podOf.get(key) === r.slug).length < r.replicas,
    );
    if (missing.length)
      console.log(
        `  (the bench's watch missed Ready pods of ${missing.length} deployments, such as ${missing
          .slice(0, 5)
          .map((r) => `${r.namespace}/${r.slug} (${r.replicas})`)
          .join(", ")}; pods seen: ${[...podOf.keys()].filter((key) => key.includes(missing[0]!.slug)).join(", ")})`,
      );
    const spread = (list: number[]) =>
      list.length ? `p50 ${ms(percentile(list, 50))}, p95 ${ms(percentile(list, 95))}, max ${ms(list.at(-1)!)}` : "none seen";
    const page = delays.page;
    const pageP95 = page.length ? percentile(page, 95) : Infinity;
    const pageMax = page.at(-1) ?? Infinity;
    console.log(
      `pod Ready in the sandbox to the page's ready count including it (${page.length} pods${unseen ? `, ${unseen} never seen` : ""}): ${spread(page)} (target < 1 s: p95 ${met(pageP95 < 1000)}, every pod ${met(pageMax < 1000 && unseen === 0)})`,
    );
    console.log(`  of which: Wharf's informer has the pod Ready          ${spread(delays.informerPod)}`);
    console.log(`            Wharf's informer has readyReplicas include it ${spread(delays.informerCount)}`);
    console.log(`            the worker has written it (the row's updatedAt)  ${spread(delays.written)}`);
    console.log(`            the push (or change event) reaches the client ${spread(delays.asked)}`);
    console.log(`            the page's pod row shows it ready             ${spread(delays.podRow)}`);
    console.log(
      `  pods Ready while the deployments were being created: ${spread(delays.pageCreating)} (${delays.pageCreating.length}); after: ${spread(delays.pageRunning)} (${delays.pageRunning.length})`,
    );
    console.log(
      `  ready counts first seen by the 15 s poll rather than a change event: ${firstSeenByPoll}; the bench's pod watches resumed ${podWatchReconnects} times`,
    );
    // Where the burst's time goes: the same number of cheap API reads at once, and of the three cluster reads each
    // deployment request makes before its transaction (LimitRange, ResourceQuota, live Deployment), from this process.
    let burst = performance.now();
    await Promise.all(rollouts.map((rollout) => api(member, "GET", `/api/v1/deployments/${rollout.id}`)));
    console.log(`for comparison, after the run: ${rolloutCount} GET /api/v1/deployments/{id} at once: all answered after ${ms(performance.now() - burst)}`);
    const { getPrisma } = await import("../lib/db/client");
    const { clusterKubeConfig } = await import("../lib/kubernetes/cluster-access");
    const { readObject } = await import("../lib/kubernetes/apply");
    const clusterRow = await getPrisma().cluster.findFirstOrThrow({ where: { name: clusterName } });
    const config = await clusterKubeConfig(clusterRow);
    burst = performance.now();
    const readTimes: number[] = [];
    await Promise.all(
      rollouts.map(async (rollout) => {
        const sent = performance.now();
        const object = (apiVersion: string, kind: string, name: string) => ({ apiVersion, kind, metadata: { name, namespace: rollout.namespace } });
        await Promise.all([
          readObject(config, object("v1", "LimitRange", "wharf-limits")),
          readObject(config, object("v1", "ResourceQuota", "wharf-quota")),
          readObject(config, object("apps/v1", "Deployment", rollout.slug)),
        ]);
        readTimes.push(performance.now() - sent);
      }),
    );
    readTimes.sort((a, b) => a - b);
    console.log(
      `  ${rolloutCount} x the 3 cluster reads of a deployment request, at once, from this process: all answered after ${ms(performance.now() - burst)} (each p50 ${ms(percentile(readTimes, 50))})`,
    );

    // For comparison with the burst: one deployment request at a time (a second revision of ten good services).
    const alone: number[] = [];
    for (const rollout of rollouts.filter((r) => r.outcome === "good").slice(0, 10)) {
      const sent = performance.now();
      await api(member, "POST", "/api/v1/deployments", { service: rollout.slug, namespaceId: rollout.namespaceId, tag: "1.0.1" });
      alone.push(performance.now() - sent);
    }
    alone.sort((a, b) => a - b);
    console.log(`  one deployment request at a time (10): p50 ${ms(percentile(alone, 50))}, max ${ms(alone.at(-1)!)}`);
    // Let those ten finish, so the worker stops with nothing in flight.
    await new Promise((done) => setTimeout(done, 15_000));
    stopRolloutInformers();
  } finally {
    streams.abort();
    for (const watch of watches) watch.abort();
    await stopWorker?.().catch(() => undefined);
    await wharf.stop();
    rmSync(wharf.dataDir, { recursive: true, force: true });
  }
}

runBench(main);
