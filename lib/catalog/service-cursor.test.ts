// Integration: keyset paging of the catalog (decision 0040) against the real database and route handler.
import { randomBytes, randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import { getConfig } from "@/lib/config";
import type { UserActor } from "@/lib/auth/permissions";
import { createSession } from "@/lib/auth/session";
import { callRoute } from "@/lib/api/route-harness";
import { listServices, sortFields, type ServiceQuery } from "@/lib/catalog/list-services";
import { retireService } from "@/lib/catalog/retire-service";
import { encodeCursor } from "@/lib/catalog/service-cursor";
import * as servicesRoute from "@/app/api/v1/services/route";

const marker = `cursorwalk${randomUUID().slice(0, 8)}`;
const admin: UserActor = { kind: "user", userId: randomUUID(), name: "Ada Admin", email: "ada@example.com", isAdmin: true, teams: [] };
const teams: string[] = [];
let sessionToken: string;
let made = 0;

/** Services written straight to the table: names, tiers, teams and times repeat so every sort has ties to break. */
async function addServices(count: number): Promise<string[]> {
  const base = Date.parse("2026-01-01T00:00:00.000Z");
  const rows = Array.from({ length: count }, () => {
    const i = made++;
    const slug = `${marker}-${String(i).padStart(4, "0")}-${randomUUID().slice(0, 4)}`;
    return {
      slug,
      displayName: `Walk ${i % 7}`,
      ownerTeamId: teams[i % teams.length]!,
      tier: ["critical", "standard", "experimental"][i % 3]!,
      lifecycle: "production",
      tags: [],
      searchText: `${slug} walk ${marker}`,
      updatedAt: new Date(base + (i % 11) * 60_000),
    };
  });
  await getPrisma().service.createMany({ data: rows });
  return rows.map((row) => row.slug);
}

beforeAll(async () => {
  const suffix = randomUUID().slice(0, 6);
  for (const name of ["Cursor Zeta", "Cursor Alpha", "Cursor Alpha"]) {
    const team = await getPrisma().team.create({ data: { slug: `cursor-${randomUUID().slice(0, 8)}`, name: `${name} ${suffix}`, entraGroupIds: [] } });
    teams.push(team.id);
  }
  const user = await getPrisma().user.create({
    data: { entraObjectId: randomBytes(8).toString("hex"), tenantId: "t", name: "Walker", email: `walker-${suffix}@example.com`, lastSignInAt: new Date() },
  });
  sessionToken = (await createSession(user.id, getConfig().session)).token;
  await addServices(60);
});

describe("cursor pages of the catalog", () => {
  it("return every service that existed for the whole walk exactly once, for every sort, while services are added and retired", async () => {
    for (const sort of sortFields) {
      for (const order of ["asc", "desc"] as const) {
        const query: ServiceQuery = { q: marker, sort, order, pageSize: 7 };
        const before = await listServices({ actor: admin, query: { ...query, pageSize: 100 } });
        const existing = new Set(before.services.map((service) => service.slug));
        const retired = new Set<string>();
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const victim = [...existing].find((slug) => !retired.has(slug) && (pages % 2 === 0 ? !seen.includes(slug) : seen.includes(slug)));
          if (victim) retired.add(victim);
          const [page] = await Promise.all([
            listServices({ actor: admin, query: { ...query, cursor } }),
            addServices(2),
            victim ? retireService({ actor: admin, slug: victim }) : null,
          ]);
          seen.push(...page.services.map((service) => service.slug));
          cursor = page.nextCursor ?? undefined;
          pages++;
          expect(pages).toBeLessThan(100);
        } while (cursor);
        const stayed = [...existing].filter((slug) => !retired.has(slug));
        expect(stayed.length).toBeGreaterThan(30);
        for (const slug of stayed)
          expect(
            seen.filter((s) => s === slug),
            `${slug} sorted by ${sort} ${order}`,
          ).toHaveLength(1);
        expect(new Set(seen).size, `no service twice, sorted by ${sort} ${order}`).toBe(seen.length);
      }
    }
  });

  it("walk the same order as page numbers, and count the total only on the first page", async () => {
    for (const sort of sortFields) {
      for (const order of ["asc", "desc"] as const) {
        const view: ServiceQuery = { q: marker, sort, order, pageSize: 30 };
        const third = await listServices({ actor: admin, query: { ...view, page: 3 } });
        const second = await listServices({ actor: admin, query: { ...view, page: 2 } });
        const next = await listServices({ actor: admin, query: { ...view, cursor: second.nextCursor! } });
        expect(
          next.services.map((s) => s.slug),
          `${sort} ${order}`,
        ).toEqual(third.services.map((s) => s.slug));
      }
    }
    const query: ServiceQuery = { q: marker, sort: "team", order: "desc", pageSize: 9 };
    const first = await listServices({ actor: admin, query });
    const second = await listServices({ actor: admin, query: { ...query, cursor: first.nextCursor! } });
    expect(second.page).toBe(2);
    expect(first.totalExact).toBe(true);
    expect(second).toMatchObject({ totalExact: false, total: first.total, totalCountedAt: first.totalCountedAt });
  });

  it("refuse a cursor made for another sort or filter, a garbled one, and a cursor with a page number, with 400 saying to start over", async () => {
    const first = await listServices({ actor: admin, query: { q: marker, sort: "name", pageSize: 5 } });
    const cursor = first.nextCursor!;
    const refusals: ServiceQuery[] = [
      { q: marker, sort: "updated", pageSize: 5, cursor },
      { q: marker, sort: "name", order: "desc", cursor },
      { q: `${marker} walk`, sort: "name", cursor },
      { q: marker, sort: "name", tier: "critical", cursor },
      { q: marker, sort: "name", cursor: "not a cursor!" },
      { q: marker, sort: "name", cursor: cursor.slice(0, -6) },
      { q: marker, sort: "name", cursor: Buffer.from(JSON.stringify({ v: 2 })).toString("base64url") },
      { q: marker, sort: "name", cursor: encodeCursor({ f: "x", k: ["a", "b"], p: 2, t: 1, c: 0 }) },
    ];
    for (const query of refusals) {
      await expect(listServices({ actor: admin, query }), JSON.stringify(query)).rejects.toMatchObject({
        code: "invalid_input",
        path: ["cursor"],
        message: expect.stringMatching(/first page/) as unknown,
      });
    }
    await expect(listServices({ actor: admin, query: { q: marker, sort: "name", cursor, page: 2 } })).rejects.toMatchObject({ code: "invalid_input" });
    // Another page size is the same view: the cursor still holds.
    expect((await listServices({ actor: admin, query: { q: marker, sort: "name", pageSize: 20, cursor } })).services).toHaveLength(20);

    const response = await callRoute(servicesRoute.GET, { method: "GET", url: `/api/v1/services?q=${marker}&sort=tier&cursor=${cursor}`, sessionToken });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/another sort or filter.*first page/);
  });

  it("send a Link header and a next address on every page but the last", async () => {
    const total = (await listServices({ actor: admin, query: { q: marker, pageSize: 1 } })).total;
    let url: string | null = `/api/v1/services?q=${marker}&sort=updated&order=desc&pageSize=10`;
    const slugs: string[] = [];
    let pages = 0;
    while (url) {
      const response = await callRoute(servicesRoute.GET, { method: "GET", url, sessionToken });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { services: { slug: string }[]; next: string | null; total: number };
      slugs.push(...body.services.map((s) => s.slug));
      const link = response.headers.get("link");
      if (body.next) expect(link).toBe(`<${body.next}>; rel="next"`);
      else expect(link).toBeNull();
      expect(body.total).toBe(total);
      url = body.next;
      pages++;
    }
    expect(pages).toBe(Math.ceil(total / 10));
    expect(new Set(slugs).size).toBe(total);
  });
});
