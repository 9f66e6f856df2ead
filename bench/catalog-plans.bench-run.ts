// The plans PostgreSQL chooses for the catalog's keyset pages (decision 0040): 50,000 services, a cursor at item
// 25,000 for each sort, and EXPLAIN ANALYZE of the very statement Prisma sends for the next page.
//
//   npx vitest run --config bench/vitest.config.ts bench/catalog-plans.bench-run.ts
import { randomUUID } from "node:crypto";
import pg from "pg";
import { it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import type { UserActor } from "@/lib/auth/permissions";
import { listServices, type ServiceQuery } from "@/lib/catalog/list-services";

const count = Number(process.env.SERVICES ?? 50_000);
const admin: UserActor = { kind: "user", userId: randomUUID(), name: "Plans", email: "plans@example.com", isAdmin: true, teams: [] };
let captured: { text: string; values: unknown[] }[] = [];
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function capturing(this: pg.Client, ...args: unknown[]) {
  const first = args[0] as { text?: string; values?: unknown[] } | string;
  if (typeof first === "object" && first?.text) captured.push({ text: first.text, values: first.values ?? [] });
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

it("prints the plan of a deep keyset page for each sort", async () => {
  const teams = await Promise.all(
    ["Plans A", "Plans B", "Plans C", "Plans D", "Plans E"].map((name) =>
      getPrisma().team.create({ data: { slug: `plans-${randomUUID().slice(0, 8)}`, name, entraGroupIds: [] }, select: { id: true } }),
    ),
  );
  await getPrisma().$executeRaw`
    INSERT INTO "Service" (id, slug, "displayName", "ownerTeamId", tier, lifecycle, tags, "searchText", "updatedAt")
    SELECT gen_random_uuid(), 'plans-' || i, 'Plans ' || (i % 9973), (${teams.map((t) => t.id)}::uuid[])[1 + i % 5],
           (ARRAY['critical','standard','experimental'])[1 + i % 3], 'production', '{}', 'plans-' || i, now() - (i || ' minutes')::interval
    FROM generate_series(1, ${count}::int) AS i`;
  await getPrisma().$executeRaw`ANALYZE "Service"`;
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  const views: ServiceQuery[] = [{ sort: "name" }, { sort: "name", order: "desc" }, { sort: "updated", order: "desc" }, { sort: "tier" }, { sort: "team" }];
  for (const view of views) {
    const deep = await listServices({ actor: admin, query: { ...view, pageSize: 25, page: Math.floor(count / 2 / 25) } });
    captured = [];
    await listServices({ actor: admin, query: { ...view, pageSize: 25, cursor: deep.nextCursor! } });
    const statement = captured.find((c) => /FROM "public"\."Service"/.test(c.text) && /ORDER BY/.test(c.text))!;
    const plan = await client.query<{ "QUERY PLAN": string }>({ text: `EXPLAIN (ANALYZE, COSTS OFF) ${statement.text}`, values: statement.values });
    console.log(`\n=== ${JSON.stringify(view)}, the page after item ${count / 2}\n${plan.rows.map((row) => row["QUERY PLAN"]).join("\n")}`);
  }
  await client.end();
});
