import { describe, expect, it } from "vitest";
import { formFromService, serviceFromForm } from "@/lib/catalog/service-form";
import { serviceInput } from "@/lib/catalog/service-input";

const parsed = serviceInput.parse({
  slug: "ledger",
  displayName: "Ledger",
  ownerTeam: "payments",
  tier: "critical",
  lifecycle: "production",
  tags: ["payments", "csharp"],
  links: { runbook: "https://wiki.example/ledger" },
  dependencies: [
    { kind: "service", service: "fx-rates" },
    { kind: "sql", target: "ledger-db" },
  ],
  deploySpec: {
    imageRepository: "contoso.azurecr.io/payments/ledger",
    port: 8080,
    replicas: 3,
    cpuRequest: "250m",
    cpuLimit: "1",
    memoryRequest: "256Mi",
    memoryLimit: "1Gi",
    readinessPath: "/ready",
    livenessPath: "/live",
  },
});

describe("service form", () => {
  it("round-trips a service through the form fields", () => {
    expect(serviceInput.parse(serviceFromForm(formFromService(parsed)))).toEqual(parsed);
  });

  it("treats an empty deploy spec as none", () => {
    const values = formFromService({ ...parsed, deploySpec: null });
    expect(serviceFromForm(values).deploySpec).toBeNull();
  });

  it("names the dependency line that is wrong", () => {
    expect(() => serviceFromForm({ ...formFromService(parsed), dependencies: "service:ledger\nkafka events" })).toThrow(/Dependency line 2/);
    try {
      serviceFromForm({ ...formFromService(parsed), dependencies: "nosql:thing" });
    } catch (error) {
      expect(error).toMatchObject({ code: "invalid_input", path: ["dependencies", 0] });
    }
  });
});
