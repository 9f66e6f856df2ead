// The fixed cost of one request, by stage (issue 20): GET /api/v1/services/{slug} called in process through the route
// handler, and each stage of it alone: session → actor (from the database, and from the process's 5 s cache), the
// catalog read, the health read, serialisation. Prints p50/p95, this process's CPU and SQL statements per call; Next's own routing is
// not in these figures (bench/catalog.ts measures the whole round trip).
//
//   npx vitest run --config bench/vitest.config.ts bench/service-by-slug.bench-run.ts
import { randomBytes, randomUUID } from "node:crypto";
import { loadavg } from "node:os";
import pg from "pg";
import { it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import { getConfig } from "@/lib/config";
import { createSession, hashToken } from "@/lib/auth/session";
import { actorForSession } from "@/lib/auth/session-actor";
import { sessionActors } from "@/lib/auth/actor-cache";
import { callRoute, type RouteHandler } from "@/lib/api/route-harness";
import { getService } from "@/lib/catalog/get-service";
import { getServiceHealth } from "@/lib/health/get-service-health";
import * as serviceRoute from "@/app/api/v1/services/[slug]/route";
import { percentile } from "./process-stats";

const rounds = Number(process.env.ROUNDS ?? 300);
let statements = 0;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function counted(this: pg.Client, ...args: unknown[]) {
  statements++;
  if (process.env.SHOW_SQL === "1") console.log("SQL", String((args[0] as { text?: string })?.text ?? args[0]).slice(0, 160));
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

async function stage(name: string, run: (i: number) => Promise<unknown>) {
  for (let i = 0; i < 20; i++) await run(i);
  const times: number[] = [];
  const before = statements;
  // This process's CPU over the stage (our code, Prisma's client and pg's protocol; not PostgreSQL's): unlike the wall
  // time, it does not grow while the call waits for a core on a loaded machine. Vitest runs this file in a process of its own.
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    await run(i);
    times.push(performance.now() - started);
  }
  const cpu = process.cpuUsage(cpuBefore);
  times.sort((a, b) => a - b);
  const perRequest = (statements - before) / rounds;
  console.log(
    `${name.padEnd(58)} p50 ${percentile(times, 50).toFixed(2).padStart(6)} ms   p95 ${percentile(times, 95).toFixed(2).padStart(6)} ms   ` +
      `CPU ${((cpu.user + cpu.system) / 1000 / rounds).toFixed(2).padStart(5)} ms   ${perRequest.toFixed(1)} SQL statements`,
  );
}

it("prints the stages of GET /api/v1/services/{slug}", async () => {
  const suffix = randomUUID().slice(0, 6);
  const group = randomUUID();
  const team = await getPrisma().team.create({ data: { slug: `stages-${suffix}`, name: `Stages ${suffix}`, entraGroupIds: [group] } });
  const slugs = Array.from({ length: 200 }, (_, i) => `stages-${suffix}-${i}`);
  await getPrisma().service.createMany({
    data: slugs.map((slug) => ({ slug, displayName: slug, ownerTeamId: team.id, tier: "standard", lifecycle: "production", tags: [], searchText: slug })),
  });
  const ids = await getPrisma().service.findMany({ where: { slug: { in: slugs } }, select: { id: true, slug: true } });
  // Each service uses the next two and an external database, so both directions of dependencies are read.
  await getPrisma().serviceDependency.createMany({
    data: ids.flatMap((row, i) => [
      { serviceId: row.id, position: 0, kind: "service", target: slugs[(i + 1) % slugs.length]! },
      { serviceId: row.id, position: 1, kind: "service", target: slugs[(i + 2) % slugs.length]! },
      { serviceId: row.id, position: 2, kind: "sql", target: "orders-db" },
    ]),
  });
  const user = await getPrisma().user.create({
    data: {
      entraObjectId: randomBytes(8).toString("hex"),
      tenantId: "t",
      name: "Stages",
      email: `stages-${suffix}@example.com`,
      groupIds: [group],
      lastSignInAt: new Date(),
    },
  });
  const { token } = await createSession(user.id, getConfig().session);
  const actor = (await actorForSession(token, getConfig()))!;
  const slug = (i: number) => slugs[i % slugs.length]!;

  if (process.env.SHOW_SQL === "1") {
    console.log("--- one route call");
    await callRoute(serviceRoute.GET as RouteHandler, { method: "GET", url: `/api/v1/services/${slug(3)}`, params: { slug: slug(3) }, sessionToken: token });
    return;
  }
  console.log(
    `GET /api/v1/services/{slug}, ${rounds} calls a line, in process; load average ${loadavg()
      .map((v) => v.toFixed(1))
      .join(" ")}`,
  );
  await stage("session → actor, from the database", async () => {
    sessionActors().forget(hashToken(token));
    await actorForSession(token, getConfig());
  });
  await stage("session → actor, remembered (5 s cache)", () => actorForSession(token, getConfig()));
  // What one statement costs through each layer: Prisma's client (query compiler, driver adapter, pg), and pg alone.
  const direct = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await direct.connect();
  await stage("one Service row by slug: Prisma findUnique, no relation", (i) => getPrisma().service.findUnique({ where: { slug: slug(i) } }));
  await stage("one Service row by slug: Prisma $queryRaw", (i) => getPrisma().$queryRaw`SELECT * FROM "Service" WHERE slug = ${slug(i)}`);
  await stage("one Service row by slug: pg alone, same statement", (i) => direct.query('SELECT * FROM "Service" WHERE slug = $1', [slug(i)]));
  await direct.end();
  await stage("getService", (i) => getService({ actor, slug: slug(i) }));
  await stage("getServiceHealth", (i) => getServiceHealth({ actor, slug: slug(i) }));
  const detail = await getService({ actor, slug: slug(0) });
  const body = { ...detail.service, uses: detail.uses, usedBy: detail.usedBy, environments: await getServiceHealth({ actor, slug: slug(0) }) };
  await stage("serialise the response (JSON)", () => Promise.resolve(JSON.stringify(body)));
  await stage("the whole route handler (withAuth, actor remembered)", async (i) => {
    const response = await callRoute(serviceRoute.GET as RouteHandler, {
      method: "GET",
      url: `/api/v1/services/${slug(i)}`,
      params: { slug: slug(i) },
      sessionToken: token,
    });
    if (response.status !== 200) throw new Error(`answered ${response.status}`);
    await response.arrayBuffer();
  });
});
