// Rollouts run for real on an in-process sandbox cluster: what rolloutState
// reports while the controller moves them, and whether the policy's quota
// arithmetic agrees with what the quota admission then lets through.
import { afterEach, describe, expect, it } from "vitest";
import { namespace, startSandboxCluster, types, type SandboxCluster } from "./__fixtures__/sandbox-cluster";
import { paymentsApi } from "./__fixtures__/services";
import { checkDeploymentPolicy } from "./policy";
import type { DeploymentShape } from "./quota-demand";
import { renderDeployment, type RenderedDeployment } from "./render";
import { rolloutState, type RolloutState } from "./rollout-state";

let cluster: SandboxCluster;
afterEach(() => cluster.close());

function state(options: { failedCreateGraceSeconds?: number } = {}): RolloutState {
  return rolloutState(cluster.observe(), { now: Date.now(), ...options });
}

async function until(phase: RolloutState["phase"], options: { failedCreateGraceSeconds?: number } = {}): Promise<RolloutState> {
  await cluster.until(() => state(options).phase === phase);
  return state(options);
}

describe("rolloutState while the sandbox controller rolls out", () => {
  it("a good tag: progressing, then succeeded, never failed", async () => {
    cluster = startSandboxCluster();
    const seen = new Set<string>();
    const unsubscribe = cluster.store.subscribe(() => seen.add(state().phase));
    cluster.deploy("1.4.2");
    await until("succeeded");
    cluster.deploy("1.4.3");
    const done = await until("succeeded");
    unsubscribe();
    expect(seen).toEqual(new Set(["progressing", "succeeded"]));
    // Success is kubectl's: replaced pods may still be terminating, and show as such.
    expect(done.pods.filter((pod) => pod.updated).map((pod) => pod.ready)).toEqual([true, true, true]);
    expect(done.pods.filter((pod) => !pod.updated).every((pod) => pod.phase === "Terminating")).toBe(true);
  });

  it("a bad tag after a good one: ImagePullBackOff, with the good pods still serving", async () => {
    cluster = startSandboxCluster();
    cluster.deploy("1.4.2");
    await until("succeeded");
    cluster.deploy("bad");
    const failed = await until("failed");
    expect(failed).toMatchObject({ reason: "ImagePullBackOff", available: 3 });
    expect(failed.pods.filter((pod) => !pod.updated && pod.ready)).toHaveLength(3);
  });
});

describe("the quota arithmetic against the sandbox's quota admission", () => {
  function quotaStatus(): { hard: Record<string, string>; used: Record<string, string> } {
    const quota = cluster.store.get(types.resourceQuotas, namespace, "compute");
    return (quota?.status ?? { hard: {}, used: {} }) as { hard: Record<string, string>; used: Record<string, string> };
  }

  function policyFor(next: RenderedDeployment) {
    return checkDeploymentPolicy({
      rendered: { deployment: next, service: renderDeployment(paymentsApi).service },
      allowedRegistries: ["contoso.azurecr.io"],
      namespace: { teamId: "t", environment: "prod", limitRange: {}, quota: quotaStatus() },
      actorTeamIds: ["t"],
      service: { retired: false, teamId: "t" },
      current: cluster.deployment() as unknown as DeploymentShape,
    });
  }

  async function runWithQuota(requestsCpu: string): Promise<{ violations: string[]; cluster: SandboxCluster }> {
    cluster = startSandboxCluster();
    cluster.operations.create(
      types.resourceQuotas,
      namespace,
      { metadata: { name: "compute" }, spec: { hard: { "requests.cpu": requestsCpu } } },
      { manager: "wharf" },
    );
    cluster.deploy("1.4.2");
    await until("succeeded");
    await cluster.until(() => quotaStatus().used?.["requests.cpu"] === "750m");
    const next = renderDeployment({ ...paymentsApi, image: { tag: "1.4.3" }, revision: 2 }).deployment;
    return { violations: policyFor(next).map((violation) => violation.code), cluster };
  }

  it("a quota exactly at the peak (3 × 250m and one surge pod = 1 core): the policy passes and the rollout succeeds", async () => {
    const { violations } = await runWithQuota("1");
    expect(violations).toEqual([]);
    cluster.deploy("1.4.3");
    // Replaced pods count until they are gone, so creation may fail briefly; the grace covers it.
    expect((await until("succeeded")).updated).toBe(3);
  });

  it("a quota one surge pod short: the policy refuses, and applied anyway the rollout is stuck on FailedCreate", async () => {
    const { violations } = await runWithQuota("900m");
    expect(violations).toEqual(["quota_exceeded"]);
    cluster.deploy("1.4.3");
    const stuck = await until("failed", { failedCreateGraceSeconds: 0 });
    expect(stuck).toMatchObject({ reason: "FailedCreate", updated: 0, available: 3 });
    expect(stuck.message).toContain("exceeded quota: compute, requested: requests.cpu=250m, used: requests.cpu=750m, limited: requests.cpu=900m");
  });
});
