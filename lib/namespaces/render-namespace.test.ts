import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { renderNamespace, type NamespaceState } from "@/lib/namespaces/render-namespace";
import { findDrift, objectKey, type ClusterObject } from "@/lib/namespaces/find-drift";

const state: NamespaceState = {
  name: "payments-orders",
  team: { slug: "payments", entraGroupIds: ["5e0b0a3e-1111-4c6a-9f00-000000000002", "0c9d7e8f-2222-4c6a-9f00-000000000001"] },
  costCenter: "CC-4711",
  environment: "dev",
  quota: { requestsCpu: "2", limitsCpu: "4", requestsMemory: "4Gi", limitsMemory: "8Gi", pods: "50", storage: "20Gi", loadBalancers: "0" },
  containerDefaults: { requestCpu: "100m", requestMemory: "128Mi", limitCpu: "500m", limitMemory: "512Mi" },
  ingressNamespace: "app-routing-system",
};

function fixture(name: string): unknown[] {
  return parseAllDocuments(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), "utf8")).map((document) => document.toJS());
}

describe("renderNamespace", () => {
  it("renders the six objects of the reference architecture, as in the fixture", () => {
    expect(renderNamespace(state)).toEqual(fixture("payments-orders.yaml"));
  });

  it("is deterministic: group order does not change the output", () => {
    const reordered = renderNamespace({ ...state, team: { ...state.team, entraGroupIds: [...state.team.entraGroupIds].reverse() } });
    expect(JSON.stringify(reordered)).toBe(JSON.stringify(renderNamespace(state)));
  });

  it("makes a cost center safe for a label value", () => {
    expect(renderNamespace({ ...state, costCenter: "Team Payments / EU" })[0]!.metadata.labels["wharf.io/cost-center"]).toBe("Team-Payments---EU");
  });
});

describe("findDrift", () => {
  const expected = renderNamespace(state);
  const cluster = () => new Map<string, ClusterObject>(expected.map((object) => [objectKey(object), structuredClone(object) as ClusterObject]));

  it("finds nothing when the cluster matches, even with server-added fields and normalised quantities", () => {
    const actual = cluster();
    const quota = actual.get("ResourceQuota/payments-orders/wharf-quota")!;
    (quota.spec as { hard: Record<string, string> }).hard["requests.cpu"] = "2000m";
    quota.status = { hard: {}, used: { "requests.cpu": "250m" } };
    actual.get("Namespace//payments-orders")!.metadata!.labels!["kubernetes.io/metadata.name"] = "payments-orders";
    expect(findDrift(expected, actual)).toEqual([]);
  });

  it("reports a deleted quota, an edited quota, lost labels and a changed role binding", () => {
    const actual = cluster();
    actual.delete("LimitRange/payments-orders/wharf-limits");
    (actual.get("ResourceQuota/payments-orders/wharf-quota")!.spec as { hard: Record<string, string> }).hard["limits.memory"] = "16Gi";
    (actual.get("ResourceQuota/payments-orders/wharf-quota")!.spec as { hard: Record<string, string> }).hard["requests.nvidia.com/gpu"] = "1";
    delete actual.get("Namespace//payments-orders")!.metadata!.labels!["wharf.io/cost-center"];
    actual.get("RoleBinding/payments-orders/wharf-team-edit")!.subjects = [];
    expect(findDrift(expected, actual)).toEqual([
      "The namespace payments-orders has label wharf.io/cost-center=(none), approved CC-4711.",
      "ResourceQuota wharf-quota was changed: limits.memory is 16Gi (approved 8Gi); requests.nvidia.com/gpu was added by hand.",
      "LimitRange wharf-limits is missing from the cluster.",
      "RoleBinding wharf-team-edit no longer binds the team's groups to edit.",
    ]);
  });

  it("reports a missing namespace once, not each object in it", () => {
    expect(findDrift(expected, new Map())).toEqual(["The namespace payments-orders is missing from the cluster."]);
  });
});
