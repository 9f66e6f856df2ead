import { describe, expect, it } from "vitest";
import { deploymentRequestHours, namespaceRequestHours, utcDay } from "./resource-hours";

describe("namespaceRequestHours", () => {
  it("turns a quota's used requests into core-hours and GiB-hours over the sample", () => {
    expect(namespaceRequestHours({ "requests.cpu": "1500m", "requests.memory": "2Gi", pods: "3" }, 300)).toEqual({
      cpuCoreHours: 0.125,
      memoryGiBHours: 2 / 12,
    });
  });

  it("reads the short keys a quota may use, and a missing one as zero", () => {
    expect(namespaceRequestHours({ cpu: "2" }, 3600)).toEqual({ cpuCoreHours: 2, memoryGiBHours: 0 });
  });

  it("gives null when the quota tracks neither (no sample, not a zero)", () => {
    expect(namespaceRequestHours({ pods: "4" }, 300)).toBeNull();
    expect(namespaceRequestHours(null, 300)).toBeNull();
  });
});

describe("deploymentRequestHours", () => {
  const manifest = {
    deployment: { spec: { replicas: 3, template: { spec: { containers: [{ resources: { requests: { cpu: "250m", memory: "512Mi" } } }] } } } },
  };

  it("multiplies the containers' requests by the replicas", () => {
    expect(deploymentRequestHours(manifest, 4, 3600)).toEqual({ cpuCoreHours: 1, memoryGiBHours: 2 });
  });

  it("counts nothing for a manifest without containers or with no replicas", () => {
    expect(deploymentRequestHours({}, 3, 3600)).toEqual({ cpuCoreHours: 0, memoryGiBHours: 0 });
    expect(deploymentRequestHours(manifest, 0, 3600)).toEqual({ cpuCoreHours: 0, memoryGiBHours: 0 });
  });
});

it("names the UTC day of an instant", () => {
  expect(utcDay(new Date("2026-03-31T23:59:59Z"))).toBe("2026-03-31");
  expect(utcDay(new Date("2026-04-01T00:00:00+02:00"))).toBe("2026-03-31");
});
