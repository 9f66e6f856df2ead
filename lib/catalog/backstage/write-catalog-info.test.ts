import { describe, expect, it } from "vitest";
import { parseCatalogInfo } from "@/lib/catalog/backstage/parse-catalog-info";
import { writeCatalogInfo } from "@/lib/catalog/backstage/write-catalog-info";
import { externalKinds, type ParsedService, type ServiceInput, serviceInput } from "@/lib/catalog/service-input";

const deploySpec = {
  imageRepository: "contoso.azurecr.io/payments/api",
  port: 8080,
  replicas: 3,
  cpuRequest: "250m",
  cpuLimit: "1",
  memoryRequest: "256Mi",
  memoryLimit: "1Gi",
  readinessPath: "/healthz/ready",
  livenessPath: "/healthz/live",
};

const base = { slug: "payments-api", displayName: "Payments API", ownerTeam: "payments", tier: "standard", lifecycle: "production" } satisfies ServiceInput;

const variedServices: ServiceInput[] = [
  base,
  {
    ...base,
    slug: "checkout-web",
    displayName: "Checkout (web)",
    description: "Checkout pages.\n\nOwned by #checkout; paged via PagerDuty.\n---\nnot a document marker",
    ownerTeam: "checkout",
    repositoryUrl: "https://github.com/contoso/checkout",
    language: "typescript",
    tier: "critical",
    tags: ["typescript", "c++", "c#", "next.js"],
    links: {
      runbook: "https://runbooks.contoso.com/checkout",
      dashboard: "https://grafana.contoso.com/d/checkout?orgId=1&from=now-6h",
      docs: "https://docs.contoso.com/checkout",
    },
    dependencies: [
      { kind: "service", service: "payments-api" },
      { kind: "sql", target: "orders-db" },
      { kind: "redis", target: "orders-db" },
      { kind: "servicebus", target: "sb-contoso-prod/orders" },
      { kind: "cosmosdb", target: "carts" },
      { kind: "mongodb", target: "Carts" },
      { kind: "http", target: "https://api.stripe.com/v1" },
    ],
    appInsightsRoleName: "checkout-web",
    deploySpec,
  },
  {
    ...base,
    slug: "yes",
    displayName: "null",
    description: "true",
    ownerTeam: "no",
    repositoryUrl: "https://dev.azure.com/contoso/payments/_git/ledger?path=/src",
    language: "",
    tier: "experimental",
    lifecycle: "deprecated",
    tags: ["1.0", "yes"],
    links: { docs: "https://docs.contoso.com/ledger" },
    dependencies: [
      { kind: "http", target: "redis-sql" },
      { kind: "http", target: "x".repeat(200) },
      { kind: "sql", target: "resource:default/ledger" },
      { kind: "http", target: "ledger-sql-2" },
      { kind: "http", target: "ledger-sql" },
      { kind: "sql", target: "Ledger-SQL" },
    ],
    appInsightsRoleName: 'ledger: "quoted" \\ back',
    deploySpec: { ...deploySpec, port: 1, replicas: 50, cpuRequest: "0.5", cpuLimit: "0.5", readinessPath: "/", livenessPath: "/a%20b" },
  },
  {
    ...base,
    slug: "a",
    displayName: "   Émile's café — 東京 🚀  ",
    description: "  'single' and \"double\" quotes, a: colon, - a dash, [brackets] {braces} & *star !bang %pct @at `tick`  ",
    ownerTeam: "t1",
    repositoryUrl: "https://github.com/contoso/a/tree/main/services/a",
    tags: ["go", "go"],
    links: { runbook: "http://runbooks.internal/a" },
    dependencies: [{ kind: "service", service: "b" }],
  },
];

function roundTrip(service: ParsedService): unknown {
  const { fileErrors, documents } = parseCatalogInfo(writeCatalogInfo([service]));
  expect(fileErrors).toEqual([]);
  expect(documents[0]?.errors).toEqual([]);
  return serviceInput.parse(documents[0]?.service);
}

describe("writeCatalogInfo", () => {
  it("reads back to the same services", () => {
    for (const input of variedServices) {
      const service = serviceInput.parse(input);
      expect(roundTrip(service), service.slug).toEqual(service);
    }
  });

  it("reads back to the same services over generated ones", () => {
    const random = seededRandom(7);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
    const targets = ["orders-db", "Orders", "orders", "api.stripe.com", "https://hooks.slack.com/x", "sql", "redis-cache", "a_b.c", "-", "ü", "x".repeat(70)];
    let checked = 0;
    for (let run = 0; run < 200; run++) {
      const dependencies = Array.from({ length: Math.floor(random() * 8) }, () => {
        const kind = pick(["service", ...externalKinds] as const);
        return kind === "service" ? { kind, service: pick(["orders-api", "b", "ledger-2"]) } : { kind, target: pick(targets) };
      });
      const result = serviceInput.safeParse({
        slug: `svc-${run}`,
        displayName: pick(["Svc", "~", "'", "# not a comment", "a: b"]),
        description: pick(["", "one line", "two\nlines", "ends with colon:"]),
        ownerTeam: pick(["payments", "t1"]),
        repositoryUrl: pick([null, "https://github.com/o/r", "https://gitlab.example.com/o/r.git"]),
        language: pick([null, "", "go", "C#"]),
        tier: pick(["critical", "standard", "experimental"]),
        lifecycle: pick(["experimental", "production", "deprecated"]),
        tags: Array.from({ length: Math.floor(random() * 4) }, () => pick(["go", "c++", "java", "1"])),
        links: Object.fromEntries(
          (["runbook", "dashboard", "docs"] as const).flatMap((kind) => (random() < 0.5 ? [[kind, `https://example.com/${kind}`]] : [])),
        ),
        dependencies,
        appInsightsRoleName: pick([null, "role"]),
        deploySpec: pick([null, deploySpec]),
      });
      // Generated duplicates are invalid services; the property is about valid ones.
      if (!result.success) continue;
      expect(roundTrip(result.data), `run ${run}`).toEqual(result.data);
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });

  it("writes one Component per service, in a fixed order", () => {
    const service = serviceInput.parse({
      ...base,
      description: "Takes payments.",
      repositoryUrl: "https://github.com/contoso/payments-api",
      tags: ["go"],
      links: { docs: "https://docs.contoso.com/payments", runbook: "https://runbooks.contoso.com/payments" },
      dependencies: [
        { kind: "service", service: "fraud-scoring" },
        { kind: "sql", target: "payments-sql" },
        { kind: "http", target: "https://api.stripe.com" },
      ],
      deploySpec: {
        livenessPath: "/live",
        readinessPath: "/ready",
        memoryLimit: "1Gi",
        memoryRequest: "256Mi",
        cpuLimit: "1",
        cpuRequest: "250m",
        replicas: 2,
        port: 8080,
        imageRepository: "contoso.azurecr.io/payments/api",
      },
    });
    expect(writeCatalogInfo([service, serviceInput.parse({ ...base, slug: "fraud-scoring", displayName: "Fraud scoring" })]))
      .toBe(`apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments-api
  title: Payments API
  description: Takes payments.
  tags:
    - go
  links:
    - url: https://runbooks.contoso.com/payments
      title: Runbook
      type: runbook
    - url: https://docs.contoso.com/payments
      title: Docs
      type: docs
  annotations:
    backstage.io/source-location: url:https://github.com/contoso/payments-api
    github.com/project-slug: contoso/payments-api
    wharf.io/dependency-kinds: '{"payments-sql":"sql","api-stripe-com":"http"}'
    wharf.io/dependency-targets: '{"api-stripe-com":"https://api.stripe.com"}'
    wharf.io/deploy-spec: '{"imageRepository":"contoso.azurecr.io/payments/api","port":8080,"replicas":2,"cpuRequest":"250m","cpuLimit":"1","memoryRequest":"256Mi","memoryLimit":"1Gi","readinessPath":"/ready","livenessPath":"/live"}'
    wharf.io/tier: standard
spec:
  type: service
  lifecycle: production
  owner: group:payments
  dependsOn:
    - component:fraud-scoring
    - resource:payments-sql
    - resource:api-stripe-com
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: fraud-scoring
  title: Fraud scoring
  annotations:
    wharf.io/tier: standard
spec:
  type: service
  lifecycle: production
  owner: group:payments
`);
    expect(writeCatalogInfo([])).toBe("");
  });

  it("treats a link set to null as no link", () => {
    // Backstage has no way to say "no runbook" other than leaving it out.
    const service = serviceInput.parse({ ...base, links: { runbook: null, docs: "https://docs.contoso.com/payments" } });
    expect(roundTrip(service)).toEqual({ ...service, links: { docs: "https://docs.contoso.com/payments" } });
  });
});

/** mulberry32: the same sequence on every run, so a failure can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
