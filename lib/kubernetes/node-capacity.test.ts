// Capacity and system requests summed exactly from Node and Pod objects as the API server returns them.
import { describe, expect, it } from "vitest";
import { sumAllocatable, sumPodRequests } from "./node-capacity";

describe("node capacity", () => {
  it("sums every node's allocatable CPU and memory, exactly", () => {
    const nodes: { status?: { allocatable?: Record<string, string> } }[] = [
      { status: { allocatable: { cpu: "3860m", memory: "13807636Ki", pods: "110" } } },
      { status: { allocatable: { cpu: "3860m", memory: "13807636Ki" } } },
      { status: { allocatable: { cpu: "1", memory: "1Gi" } } },
      {},
    ];
    expect(sumAllocatable(nodes)).toEqual({ nodes: 4, cpuMillicores: 8720, memoryBytes: 2 * 13_807_636 * 1024 + 2 ** 30 });
  });

  it("sums the requests of pods that hold a node, per namespace, and leaves out finished pods and namespaces that ask nothing", () => {
    const pod = (namespace: string, phase: string | undefined, ...requests: Record<string, string>[]) => ({
      metadata: { namespace },
      spec: { containers: requests.map((r) => ({ resources: { requests: r } })) },
      status: { phase },
    });
    expect(
      sumPodRequests([
        pod("kube-system", "Running", { cpu: "100m", memory: "70Mi" }, { cpu: "5m", memory: "25Mi" }),
        pod("kube-system", "Pending", { cpu: "0.1", memory: "1M" }),
        pod("kube-system", "Succeeded", { cpu: "4", memory: "8Gi" }),
        pod("gatekeeper-system", "Failed", { cpu: "1" }),
        pod("app-routing-system", "Running", {}),
      ]),
    ).toEqual({ "kube-system": { cpuMillicores: 205, memoryBytes: 95 * 2 ** 20 + 1_000_000 } });
  });
});
