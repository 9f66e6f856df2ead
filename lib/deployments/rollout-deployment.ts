// The rollout job: apply the deployment's Deployment and Service with
// server-side apply, then follow the rollout through the cluster's shared
// informer until it succeeds, fails with its reason, is cancelled, or passes
// Wharf's own deadline. Every step is safe to run again: a worker that dies
// mid-rollout leaves the row "applying" or "progressing", pg-boss runs the
// job again, and it re-applies (a no-op for the same manifest) or just
// follows on from what the cluster shows. A deployment that waited for
// approval or in the queue is checked against the policy again before its
// first apply (./recheck-policy.ts); one that no longer passes ends failed,
// PolicyBlocked, with nothing applied.
import { getPrisma } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { notifyUser } from "@/lib/notifications/notify";
import { applyObject } from "@/lib/kubernetes/apply";
import { clusterKubeConfig } from "@/lib/kubernetes/cluster-access";
import { withConcurrencyLimit } from "@/lib/jobs/concurrency";
import { PermanentJobError, RetryableJobError } from "@/lib/jobs/errors";
import { asJobError } from "@/lib/clusters/cluster-job-error";
import { defaultRolloutTiming, type RolloutTiming } from "./deployment-settings";
import type { RenderedManifest } from "./render";
import { observeRollout } from "./observe-rollout";
import { rolloutState, type RolloutState } from "./rollout-state";
import { rolloutInformer } from "./rollout-informers";
import { noticeInTransaction } from "@/lib/changes/publish-change";
import { enqueueRollout, promoteQueued, publishDeploymentChange, writeRolloutProgress, type RolloutProgress } from "./rollout-slot";
import { recheckPolicy, waitedSinceCheck, type PolicyBlock } from "./recheck-policy";
import { versionText } from "./version-text";

const system = { kind: "system" as const, name: "Wharf rollout" };
const active = ["applying", "progressing"];

const loadInclude = { namespace: { include: { cluster: true } }, service: { select: { slug: true } } } satisfies Prisma.DeploymentInclude;
type Loaded = Prisma.DeploymentGetPayload<{ include: typeof loadInclude }>;

export interface RolloutRun {
  deploymentId: string;
  attempt?: number;
  /** Aborted when the worker loses the job: stop, and let the next attempt follow on. */
  signal?: AbortSignal;
  timing?: Partial<RolloutTiming>;
}

export async function rolloutDeployment(run: RolloutRun): Promise<void> {
  const prisma = getPrisma();
  const timing = { ...defaultRolloutTiming, ...run.timing };
  let row = await prisma.deployment.findUnique({ where: { id: run.deploymentId }, include: loadInclude });
  if (!row) throw new PermanentJobError(`There is no deployment ${run.deploymentId} to roll out.`);
  if (!active.includes(row.status)) return;
  if (row.status === "applying" || row.appliedGeneration === null) {
    const applied = await applyManifest(row, run.attempt ?? 1);
    if (applied === "skipped") return;
    if (applied !== "applied") {
      return finishRollout(row.id, { phase: "failed", reason: "PolicyBlocked", message: applied.message });
    }
    row = await prisma.deployment.findUniqueOrThrow({ where: { id: row.id }, include: loadInclude });
    await publishDeploymentChange(row.id);
  }
  await followRollout(row, timing, run.signal);
}

/**
 * Applies under the service's rollout lock, so a cancel's rollback never
 * lands before the apply it undoes. "skipped" when the deployment no longer
 * wants applying; the policy's verdict when one that waited (for approval,
 * or in the queue) no longer passes it, and nothing was applied.
 */
async function applyManifest(row: Loaded, attempt: number): Promise<"applied" | "skipped" | PolicyBlock> {
  const prisma = getPrisma();
  const manifest = row.manifest as unknown as RenderedManifest;
  try {
    return await withConcurrencyLimit(`rollout:${row.serviceId}:${row.namespaceId}`, 1, async () => {
      const fresh = await prisma.deployment.findUnique({ where: { id: row.id }, select: { status: true } });
      if (!fresh || !active.includes(fresh.status)) return "skipped";
      if (fresh.status === "applying" && row.appliedGeneration === null && waitedSinceCheck(row)) {
        const blocked = await recheckPolicy(row.id);
        if (blocked) return blocked;
      }
      const config = await clusterKubeConfig(row.namespace.cluster);
      // Taken before the apply: the first events of this rollout come while it is being applied.
      const startedAt = row.startedAt ?? new Date();
      const applied = await applyObject<{ metadata?: { generation?: number } }>(config, manifest.deployment);
      await applyObject(config, manifest.service);
      const { count } = await prisma.deployment.updateMany({
        where: { id: row.id, status: { in: active } },
        data: {
          status: "progressing",
          appliedGeneration: applied.metadata?.generation ?? 1,
          startedAt,
          reason: null,
          message: "Applied; waiting for the rollout to start.",
        },
      });
      return count > 0 ? "applied" : "skipped";
    });
  } catch (error) {
    const failure = asJobError(error, row.namespace.cluster);
    if (failure instanceof RetryableJobError) {
      await prisma.deployment.updateMany({
        where: { id: row.id, status: "applying" },
        data: { message: `Applying (attempt ${attempt}) failed and will be retried: ${failure.message}` },
      });
      await publishDeploymentChange(row.id);
    }
    throw failure;
  }
}

interface Snapshot {
  state: RolloutState;
  /** The cluster has not shown the applied generation yet. */
  stale: boolean;
}

function snapshot(row: Loaded, timing: RolloutTiming, informerError: string | undefined, observation: ReturnType<typeof observeRollout>): Snapshot {
  const waiting = (message: string): Snapshot => ({
    stale: true,
    state: { phase: "progressing", message, desired: row.replicas, updated: 0, ready: 0, available: 0, pods: [], events: [] },
  });
  const away = informerError ? ` Wharf cannot watch ${row.namespace.cluster.name} right now (${informerError}); it keeps trying.` : "";
  if (!observation) return waiting(`Waiting for ${row.namespace.cluster.name} to report the Deployment.${away}`);
  const generation = (observation.deployment.metadata?.generation as number | undefined) ?? 0;
  if (generation < (row.appliedGeneration ?? 0)) return waiting(`Waiting for ${row.namespace.cluster.name} to report the applied spec.${away}`);
  const state = rolloutState(observation, {
    now: Date.now(),
    since: row.startedAt?.getTime(),
    failedCreateGraceSeconds: timing.failedCreateGraceSeconds,
    crashLoopRestarts: timing.crashLoopRestarts,
  });
  if (away && state.phase === "progressing") state.message += away;
  return { state, stale: false };
}

/** What changes on a page; the row is written only when this does. */
function summary(state: RolloutState): string {
  return JSON.stringify([
    state.phase,
    state.message,
    state.desired,
    state.updated,
    state.ready,
    state.available,
    state.pods,
    state.events.length,
    state.events.at(-1)?.count,
  ]);
}

const maxEvents = 40;

function progressOf(state: RolloutState, stale: boolean): RolloutProgress {
  const progress = { message: state.message, pods: state.pods, events: state.events.slice(-maxEvents) };
  return stale ? progress : { ...progress, counts: { desired: state.desired, updated: state.updated, ready: state.ready, available: state.available } };
}

function progressData(state: RolloutState, stale: boolean) {
  const { message, pods, events, counts } = progressOf(state, stale);
  const data = { message, pods: pods as Prisma.InputJsonValue, events: events as unknown as Prisma.InputJsonValue };
  return counts
    ? { ...data, desiredReplicas: counts.desired, updatedReplicas: counts.updated, readyReplicas: counts.ready, availableReplicas: counts.available }
    : data;
}

/** How long a succeeded rollout waits for the pods' watch to show as many ready new pods as the Deployment counts. */
const podSettleMs = 2_000;

/** The Deployment counts more available replicas than the cached pods show ready and new: the pods' watch is behind. */
function podsBehind(state: RolloutState): boolean {
  return state.pods.filter((pod) => pod.updated && pod.ready).length < state.available;
}

async function followRollout(row: Loaded, timing: RolloutTiming, signal: AbortSignal | undefined): Promise<void> {
  const prisma = getPrisma();
  const informer = rolloutInformer(row.namespace.cluster);
  const namespace = row.namespace.name;
  const deadline = (row.startedAt ?? new Date()).getTime() + timing.followDeadlineSeconds * 1000;
  let changed = true;
  let wake: (() => void) | undefined;
  const unsubscribe = informer.subscribe((change) => {
    if (change.namespace !== namespace) return;
    changed = true;
    wake?.();
  });
  let written = "";
  let lastCheck = Date.now();
  let settleUntil: number | undefined;
  const waitForChange = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        wake = undefined;
        resolve();
      }
      wake = done;
      signal?.addEventListener("abort", done, { once: true });
    });
  try {
    for (;;) {
      if (signal?.aborted) throw new RetryableJobError("The worker let go of this rollout; the next attempt follows on from what the cluster shows.");
      changed = false;
      const { state, stale } = snapshot(row, timing, informer.lastError, observeRollout(informer, namespace, row.service.slug));
      if (state.phase !== "progressing") {
        // The Deployment's status and its pods come through different watches: a success seen before the last pod's
        // Ready would end with that pod shown not ready under "3/3 ready". The pods get a moment to catch up.
        if (state.phase === "succeeded" && podsBehind(state) && Date.now() < (settleUntil ??= Date.now() + podSettleMs)) {
          if (!changed) await waitForChange(Math.max(0, settleUntil - Date.now()));
          continue;
        }
        // The page gets the last counts and pods at once; the ending (audit, notification, the queue) is a heavier transaction.
        if (summary(state) !== written && !(await writeRolloutProgress(row.id, progressOf(state, stale)))) return;
        return await finishRollout(row.id, { phase: state.phase, reason: state.reason, message: state.message, observed: state });
      }
      if (Date.now() >= deadline) {
        const minutes = Math.round(timing.followDeadlineSeconds / 60);
        return await finishRollout(row.id, {
          phase: "failed",
          reason: "Timeout",
          message:
            `The rollout neither finished nor failed within ${minutes >= 1 ? `${minutes} min` : `${timing.followDeadlineSeconds} s`} of being ` +
            `applied, so Wharf stopped waiting. Last seen: ${state.message} Look at the pods and events below, then deploy again or roll back.`,
          observed: stale ? undefined : state,
        });
      }
      const now = summary(state);
      if (now !== written) {
        if (!(await writeRolloutProgress(row.id, progressOf(state, stale)))) return;
        written = now;
        lastCheck = Date.now();
      } else if (Date.now() - lastCheck >= timing.idleCheckMs) {
        // Nothing moved: was it cancelled meanwhile?
        const current = await prisma.deployment.findUnique({ where: { id: row.id }, select: { status: true } });
        if (current?.status !== "progressing") return;
        lastCheck = Date.now();
      }
      if (!changed) await waitForChange(Math.min(timing.idleCheckMs, Math.max(0, deadline - Date.now())));
    }
  } finally {
    unsubscribe();
  }
}

export interface RolloutEnd {
  phase: "succeeded" | "failed";
  /**
   * ImagePullBackOff, CrashLoopBackOff, ProgressDeadlineExceeded, FailedCreate; Timeout, ApplyFailed, FollowFailed, PolicyBlocked
   * (./recheck-policy.ts) from Wharf itself.
   */
  reason?: string;
  message: string;
  /** What the cluster showed last, when it showed this rollout at all. */
  observed?: RolloutState;
}

/** Ends the rollout (unless a cancel got there first), audits it, tells the requester, and starts the next queued deployment. */
export async function finishRollout(deploymentId: string, state: RolloutEnd): Promise<void> {
  const prisma = getPrisma();
  const next = await prisma.$transaction(async (tx) => {
    const finishedAt = new Date();
    const before = await tx.deployment.findUnique({ where: { id: deploymentId }, select: { status: true } });
    const { count } = await tx.deployment.updateMany({
      where: { id: deploymentId, status: { in: active } },
      data: {
        ...(state.observed ? progressData(state.observed, false) : {}),
        message: state.message,
        status: state.phase,
        reason: state.reason ?? null,
        finishedAt,
      },
    });
    if (count === 0) return null;
    const row = await tx.deployment.findUniqueOrThrow({
      where: { id: deploymentId },
      include: { service: { select: { slug: true } }, namespace: { select: { name: true } } },
    });
    const succeeded = state.phase === "succeeded";
    await recordAuditEvent(tx, {
      actor: system,
      action: "deployment.rollout",
      resourceType: "deployment",
      resourceId: deploymentId,
      outcome: succeeded ? "success" : "failure",
      before: { status: before?.status ?? null },
      after: { status: state.phase, reason: state.reason ?? null, revision: row.revision, image: row.image },
      detail: succeeded ? undefined : state.message,
    });
    if (row.requestedById) {
      const what = `${row.service.slug} revision ${row.revision} (${versionText(row)}) in ${row.namespace.name}`;
      await notifyUser(tx, row.requestedById, {
        message: succeeded ? `${what} rolled out.` : `${what} failed: ${state.reason ?? "failed"}.`,
        link: `/deployments/${deploymentId}`,
      });
    }
    const next = await promoteQueued(tx, row.serviceId, row.namespaceId);
    // Delivered at commit, without a commit of its own.
    await noticeInTransaction(tx, { kind: "deployment", id: deploymentId });
    if (next) await noticeInTransaction(tx, { kind: "deployment", id: next });
    return next;
  });
  if (next) await enqueueRollout(next);
}

/** The worker gave up (a 403/422 from the cluster, or the retry time spent): the deployment fails with the cluster's own message. */
export async function rolloutGaveUp({ deploymentId, error }: { deploymentId: string; error: Error }): Promise<void> {
  const row = await getPrisma().deployment.findUnique({ where: { id: deploymentId }, select: { status: true } });
  if (!row || !active.includes(row.status)) return;
  const applying = row.status === "applying";
  await finishRollout(deploymentId, {
    phase: "failed",
    reason: applying ? "ApplyFailed" : "FollowFailed",
    message: applying ? `Wharf could not apply the manifest: ${error.message}` : `Wharf stopped following this rollout: ${error.message}`,
  });
}
