// Integration: catalog use cases against the real database.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import type { UserActor } from "@/lib/auth/permissions";
import type { ServiceInput } from "@/lib/catalog/service-input";
import { createService } from "@/lib/catalog/create-service";
import { updateService } from "@/lib/catalog/update-service";
import { retireService } from "@/lib/catalog/retire-service";
import { getService, serviceHistory } from "@/lib/catalog/get-service";
import { catalogFacets, listServices } from "@/lib/catalog/list-services";

let payments: { id: string; slug: string; name: string };
let orders: { id: string; slug: string; name: string };
let member: UserActor;
let outsider: UserActor;
const admin: UserActor = { kind: "user", userId: randomUUID(), name: "Ada Admin", email: "ada@example.com", isAdmin: true, teams: [] };

beforeAll(async () => {
  const suffix = randomUUID().slice(0, 6);
  const make = (slug: string, name: string) =>
    getPrisma().team.create({ data: { slug: `${slug}-${suffix}`, name, entraGroupIds: [randomUUID()] }, select: { id: true, slug: true, name: true } });
  payments = await make("payments", "Payments");
  orders = await make("orders", "Orders");
  member = { kind: "user", userId: randomUUID(), name: "Priya", email: "p@example.com", isAdmin: false, teams: [payments] };
  outsider = { kind: "user", userId: randomUUID(), name: "Omar", email: "o@example.com", isAdmin: false, teams: [orders] };
});

const baseSpec = {
  imageRepository: "contoso.azurecr.io/payments/gateway",
  port: 8080,
  replicas: 3,
  cpuRequest: "250m",
  cpuLimit: "1",
  memoryRequest: "256Mi",
  memoryLimit: "512Mi",
  readinessPath: "/healthz/ready",
  livenessPath: "/healthz/live",
};

const slug = (prefix = "svc") => `${prefix}-${randomUUID().slice(0, 8)}`;

function service(overrides: Partial<ServiceInput> = {}): ServiceInput {
  return {
    slug: slug(),
    displayName: "Payment Gateway",
    description: "Takes card payments for checkout.",
    ownerTeam: payments.slug,
    repositoryUrl: "https://github.com/contoso/payment-gateway",
    language: "Go",
    tier: "critical",
    lifecycle: "production",
    tags: ["payments", "go"],
    links: { runbook: "https://runbooks.contoso.example/payment-gateway" },
    dependencies: [{ kind: "sql", target: "payments-db" }],
    appInsightsRoleName: null,
    deploySpec: baseSpec,
    ...overrides,
  };
}

async function count() {
  return getPrisma().service.count();
}

describe("registering services", () => {
  it("creates a service with its dependencies and audits it", async () => {
    const input = service({
      dependencies: [
        { kind: "sql", target: "payments-db" },
        { kind: "redis", target: "payments-cache" },
      ],
    });
    const created = await createService({ actor: member, input });
    expect(created).toMatchObject({ slug: input.slug, ownerTeam: { slug: payments.slug }, appInsightsRoleName: input.slug, appInsightsRoleNameSet: false });
    expect(created.dependencies).toEqual(input.dependencies);
    const audit = await getPrisma().auditEvent.findFirst({ where: { resourceType: "service", resourceId: input.slug } });
    expect(audit).toMatchObject({ action: "service.create", outcome: "success", actorName: "Priya" });
  });

  const bad: [string, Partial<ServiceInput>, string[], RegExp][] = [
    ["an empty display name", { displayName: "  " }, ["displayName"], /display name/],
    ["an over-long description", { description: "x".repeat(2001) }, ["description"], /at most 2000/],
    ["a slug with capitals", { slug: "Payment-Gateway" }, ["slug"], /lowercase/],
    ["a slug with --", { slug: "payment--gateway" }, ["slug"], /two hyphens/],
    ["a 64-character slug", { slug: "a".repeat(64) }, ["slug"], /at most 63/],
    [
      "limits below requests",
      { deploySpec: { ...baseSpec, memoryRequest: "1Gi", memoryLimit: "512Mi" } },
      ["deploySpec", "memoryLimit"],
      /memory limit \(512Mi\) is below the memory request \(1Gi\)/,
    ],
    ["a malformed quantity", { deploySpec: { ...baseSpec, cpuRequest: "1.5.0" } }, ["deploySpec", "cpuRequest"], /Kubernetes quantity/],
    [
      "a registry not allowed",
      { deploySpec: { ...baseSpec, imageRepository: "docker.io/library/nginx" } },
      ["deploySpec", "imageRepository"],
      /allowed registry/,
    ],
    ["an unknown owner team", { ownerTeam: "no-such-team" }, ["ownerTeam"], /no team "no-such-team"/],
  ];
  for (const [what, overrides, path, message] of bad) {
    it(`refuses ${what} with 400, the field, and writes nothing`, async () => {
      const before = await count();
      await expect(createService({ actor: member, input: service(overrides) })).rejects.toMatchObject({
        code: "invalid_input",
        path,
        message: expect.stringMatching(message),
      });
      expect(await count()).toBe(before);
    });
  }

  it("refuses a dependency on itself", async () => {
    const name = slug();
    await expect(createService({ actor: member, input: service({ slug: name, dependencies: [{ kind: "service", service: name }] }) })).rejects.toMatchObject({
      code: "invalid_input",
      path: ["dependencies", 0, "service"],
    });
  });

  it("refuses a duplicate slug with 409", async () => {
    const input = service();
    await createService({ actor: member, input });
    await expect(createService({ actor: member, input })).rejects.toMatchObject({ code: "conflict", path: ["slug"] });
  });

  it("refuses registering for a team the user is not in, and audits the refusal", async () => {
    const input = service();
    await expect(createService({ actor: outsider, input })).rejects.toMatchObject({ code: "forbidden" });
    expect(await getPrisma().service.count({ where: { slug: input.slug } })).toBe(0);
    expect(await getPrisma().auditEvent.findFirst({ where: { resourceId: input.slug, outcome: "denied" } })).not.toBeNull();
  });
});

describe("changing and retiring", () => {
  it("lets the owning team edit, records before and after, and refuses others", async () => {
    const input = service();
    await createService({ actor: member, input });
    const { slug: _slug, ...rest } = input;
    const updated = await updateService({ actor: member, slug: input.slug, input: { ...rest, displayName: "Payment Gateway v2", tags: ["payments"] } });
    expect(updated.displayName).toBe("Payment Gateway v2");
    await expect(updateService({ actor: outsider, slug: input.slug, input: rest })).rejects.toMatchObject({ code: "forbidden" });
    const history = await serviceHistory({ actor: outsider, slug: input.slug });
    expect(history.map((event) => event.action)).toEqual(["service.update", "service.create"]);
    // The outsider's refused update is audited under the same action; this is the one that changed the service.
    const event = await getPrisma().auditEvent.findFirst({ where: { resourceId: input.slug, action: "service.update", outcome: { not: "denied" } } });
    expect(event?.before).toMatchObject({ displayName: "Payment Gateway" });
    expect(event?.after).toMatchObject({ displayName: "Payment Gateway v2" });
  });

  it("does not let a member hand a service to a team they are not in", async () => {
    const input = service();
    await createService({ actor: member, input });
    const { slug: _slug, ...rest } = input;
    await expect(updateService({ actor: member, slug: input.slug, input: { ...rest, ownerTeam: orders.slug } })).rejects.toMatchObject({ code: "forbidden" });
    expect((await getService({ actor: admin, slug: input.slug })).service.ownerTeam.slug).toBe(payments.slug);
  });

  it("retires a service, keeps it readable, and never reuses its slug silently", async () => {
    const input = service();
    await createService({ actor: member, input });
    await expect(retireService({ actor: outsider, slug: input.slug })).rejects.toMatchObject({ code: "forbidden" });
    const retired = await retireService({ actor: member, slug: input.slug });
    expect(retired.retiredAt).not.toBeNull();
    expect((await getService({ actor: outsider, slug: input.slug })).canEdit).toBe(false);
    await expect(createService({ actor: member, input })).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("retired") });
    const { slug: _slug, ...rest } = input;
    await expect(updateService({ actor: member, slug: input.slug, input: rest })).rejects.toMatchObject({ code: "conflict" });
  });

  it("returns 404 for an unknown service", async () => {
    await expect(getService({ actor: member, slug: "no-such-service" })).rejects.toMatchObject({ code: "not_found" });
    await expect(retireService({ actor: admin, slug: "no-such-service" })).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("finding services", () => {
  it("searches name, description and tags, filters and pages", async () => {
    const marker = `zebra${randomUUID().slice(0, 6)}`;
    const a = await createService({ actor: member, input: service({ displayName: `Alpha ${marker}`, tier: "standard", language: "Rust" }) });
    const b = await createService({ actor: member, input: service({ displayName: "Beta", description: `Handles ${marker} traffic`, tier: "critical" }) });
    const c = await createService({ actor: outsider, input: service({ displayName: "Gamma", ownerTeam: orders.slug, tags: [marker], tier: "critical" }) });
    const found = await listServices({ actor: member, query: { q: marker.toUpperCase() } });
    expect(found.services.map((s) => s.slug).sort()).toEqual([a.slug, b.slug, c.slug].sort());
    expect((await listServices({ actor: member, query: { q: marker, tier: "critical" } })).total).toBe(2);
    expect((await listServices({ actor: member, query: { q: marker, language: "rust" } })).services.map((s) => s.slug)).toEqual([a.slug]);
    expect((await listServices({ actor: member, query: { q: marker, team: "mine" } })).services.map((s) => s.slug).sort()).toEqual([a.slug, b.slug].sort());
    expect((await listServices({ actor: member, query: { q: marker, team: orders.slug } })).services.map((s) => s.slug)).toEqual([c.slug]);
    const page = await listServices({ actor: member, query: { q: marker, sort: "name", order: "desc", pageSize: 2, page: 1 } });
    expect(page.services.map((s) => s.displayName)).toEqual(["Gamma", "Beta"]);
    expect(page.total).toBe(3);
    await retireService({ actor: member, slug: a.slug });
    expect((await listServices({ actor: member, query: { q: marker } })).total).toBe(2);
    expect((await listServices({ actor: member, query: { q: marker, retired: "only" } })).services.map((s) => s.slug)).toEqual([a.slug]);
  });

  it("offers each language of the active services once as a filter, reading one row per language", async () => {
    const marker = randomUUID().slice(0, 6);
    for (const language of [`Lang${marker}`, `Lang${marker}`, null]) await createService({ actor: member, input: service({ language }) });
    const retired = await createService({ actor: member, input: service({ language: `Retired${marker}` }) });
    await retireService({ actor: member, slug: retired.slug });
    const active = await getPrisma().service.findMany({ where: { retiredAt: null, language: { not: null } }, select: { language: true } });
    const expected = [...new Set(active.map((row) => row.language).filter(Boolean))];

    // Rows each statement brought back to this process.
    const read: { text: string; rows: number }[] = [];
    const query = pg.Client.prototype.query;
    pg.Client.prototype.query = function recorded(this: pg.Client, ...args: unknown[]) {
      const statement = args[0];
      const text = typeof statement === "string" ? statement : String((statement as { text?: string }).text);
      // pg.Pool passes a callback: the answer arrives there.
      const last = args.length - 1;
      const callback = args[last];
      if (typeof callback === "function") {
        args[last] = (error: unknown, answer: { rows?: unknown[] } | undefined) => {
          if (!error) read.push({ text, rows: answer?.rows?.length ?? 0 });
          return (callback as (...a: unknown[]) => unknown)(error, answer);
        };
      }
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query;
    let facets: Awaited<ReturnType<typeof catalogFacets>>;
    try {
      facets = await catalogFacets({ actor: outsider });
    } finally {
      pg.Client.prototype.query = query;
    }
    expect(facets.languages.filter((language) => language === `Lang${marker}`)).toHaveLength(1);
    expect(facets.languages).not.toContain(`Retired${marker}`);
    expect([...facets.languages].sort()).toEqual([...expected].sort());
    const languageRows = read.filter((statement) => /language/i.test(statement.text)).map((statement) => statement.rows);
    expect(languageRows).toEqual([expected.length]);
  });

  it("refuses a bad query with the parameter named", async () => {
    await expect(listServices({ actor: member, query: { tier: "gold" as never } })).rejects.toMatchObject({ code: "invalid_input", path: ["tier"] });
    await expect(listServices({ actor: member, query: { pageSize: 1000 } })).rejects.toMatchObject({ code: "invalid_input", path: ["pageSize"] });
  });

  it("shows dependencies both ways", async () => {
    const ledger = await createService({ actor: member, input: service({ displayName: "Ledger" }) });
    const gateway = await createService({
      actor: member,
      input: service({
        dependencies: [
          { kind: "service", service: ledger.slug },
          { kind: "service", service: "not-registered-yet" },
        ],
      }),
    });
    const detail = await getService({ actor: outsider, slug: ledger.slug });
    expect(detail.usedBy.map((s) => s.slug)).toEqual([gateway.slug]);
    const uses = (await getService({ actor: outsider, slug: gateway.slug })).uses;
    expect(uses).toEqual([
      { slug: ledger.slug, displayName: "Ledger", retired: false },
      { slug: "not-registered-yet", displayName: null, retired: false },
    ]);
  });
});
