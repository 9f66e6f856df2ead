import { z } from "zod";
import { getPrisma } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { parseInput } from "@/lib/validation";
import { lifecycles, tiers } from "@/lib/catalog/service-input";
import { serviceInclude, toServiceView, type ServiceRow, type ServiceView } from "@/lib/catalog/service-view";
import { decodeCursor, encodeCursor, queryFingerprint, type ServiceCursor } from "@/lib/catalog/service-cursor";
import { AppError } from "@/lib/errors";

export const sortFields = ["name", "updated", "tier", "team"] as const;

/** The catalog view; every field maps to a URL query parameter so a link reproduces it. */
export const serviceQuery = z.object({
  q: z.string().trim().max(100, "Search for at most 100 characters.").optional(),
  team: z.string().trim().max(40).optional().describe('A team slug, or "mine" for the teams you are in.'),
  tier: z.enum(tiers, { error: `tier must be one of ${tiers.join(", ")}.` }).optional(),
  lifecycle: z.enum(lifecycles, { error: `lifecycle must be one of ${lifecycles.join(", ")}.` }).optional(),
  language: z.string().trim().max(40).optional(),
  retired: z.enum(["exclude", "include", "only"], { error: "retired must be exclude, include or only." }).default("exclude"),
  sort: z.enum(sortFields, { error: `sort must be one of ${sortFields.join(", ")}.` }).default("name"),
  order: z.enum(["asc", "desc"], { error: "order must be asc or desc." }).default("asc"),
  page: z.coerce.number({ error: "page must be a number." }).int().min(1, "page starts at 1.").max(10_000).default(1),
  pageSize: z.coerce.number({ error: "pageSize must be a number." }).int().min(1).max(100, "pageSize can be at most 100.").default(25),
  cursor: z
    .string()
    .max(1000, "cursor is not one Wharf made; start again from the first page.")
    .optional()
    .describe("Where the next page starts: the `next` of the previous page (keyset paging; decision 0040). Use it or `page`, not both."),
});

export type ServiceQuery = z.input<typeof serviceQuery>;

export interface ServicePage {
  services: ServiceView[];
  /** Exact when `totalExact`; on a page reached by a cursor, the count made on the walk's first page, at `totalCountedAt`. */
  total: number;
  totalExact: boolean;
  totalCountedAt: string;
  /** The cursor of the page after this one; null on the last page. */
  nextCursor: string | null;
  page: number;
  pageSize: number;
  query: z.output<typeof serviceQuery>;
}

type Sort = (typeof sortFields)[number];
type Bound = { gt: string | Date } | { lt: string | Date } | { gte: string | Date } | { lte: string | Date };

/** The sort's column as a filter, for the keyset condition. */
function sortFilter(sort: Sort, bound: Bound): Prisma.ServiceWhereInput {
  if (sort === "team") return { ownerTeam: { name: bound as Prisma.StringFilter } };
  if (sort === "updated") return { updatedAt: bound as Prisma.DateTimeFilter };
  return sort === "tier" ? { tier: bound as Prisma.StringFilter } : { displayName: bound as Prisma.StringFilter };
}

function sortValue(sort: Sort, row: ServiceRow): string {
  if (sort === "team") return row.ownerTeam.name;
  if (sort === "updated") return row.updatedAt.toISOString();
  return sort === "tier" ? row.tier : row.displayName;
}

/**
 * Rows after the cursor's (value, slug) in the order (sort `order`, slug asc). The first bound repeats the second's
 * column alone so PostgreSQL can start the index scan there instead of filtering from the start.
 */
function afterCursor(sort: Sort, order: "asc" | "desc", [text, slug]: ServiceCursor["k"]): Prisma.ServiceWhereInput {
  const value = sort === "updated" ? new Date(text) : text;
  if (value instanceof Date && Number.isNaN(value.getTime())) {
    throw new AppError("invalid_input", "cursor is not one Wharf made; start again from the first page.", { path: ["cursor"] });
  }
  const from = sortFilter(sort, order === "asc" ? { gte: value } : { lte: value });
  const past = sortFilter(sort, order === "asc" ? { gt: value } : { lt: value });
  return { AND: [from, { OR: [past, { slug: { gt: slug } }] }] };
}

/**
 * The rows after a cursor sorted by tier, one tier at a time. Three values: `tier >= x` narrows an index scan only to the
 * cursor's tier, whose slugs before the cursor were then read and thrown away (8,334 rows at item 25,000 of 50,000);
 * `tier = x AND slug > y`, then each following tier from its first slug, reads only the page (decision 0040).
 */
async function tiersAfter(where: Prisma.ServiceWhereInput, order: "asc" | "desc", [tier, slug]: ServiceCursor["k"], take: number): Promise<ServiceRow[]> {
  const ordered = [...tiers].sort();
  if (order === "desc") ordered.reverse();
  const start = ordered.indexOf(tier as (typeof tiers)[number]);
  if (start < 0) throw new AppError("invalid_input", "cursor is not one Wharf made; start again from the first page.", { path: ["cursor"] });
  const rows: ServiceRow[] = [];
  for (const [index, value] of ordered.slice(start).entries()) {
    if (rows.length >= take) break;
    const after: Prisma.ServiceWhereInput = index === 0 ? { tier: value, slug: { gt: slug } } : { tier: value };
    rows.push(
      ...(await getPrisma().service.findMany({ where: { AND: [where, after] }, orderBy: { slug: "asc" }, take: take - rows.length, include: serviceInclude })),
    );
  }
  return rows;
}

export async function listServices({ actor, query }: { actor: Actor; query: ServiceQuery }): Promise<ServicePage> {
  if (!can(actor, "service:read")) throw forbidden("service:read");
  const q = parseInput(serviceQuery, query);
  if (q.cursor !== undefined && query.page !== undefined) {
    throw new AppError("invalid_input", "Send either page or cursor, not both: a cursor already says where its page starts.", { path: ["cursor"] });
  }
  const words = (q.q ?? "").toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8);
  const fingerprint = queryFingerprint({
    q: words.join(" "),
    team: q.team,
    tier: q.tier,
    lifecycle: q.lifecycle,
    language: q.language?.toLowerCase(),
    retired: q.retired,
    sort: q.sort,
    order: q.order,
  });
  const cursor = q.cursor !== undefined ? decodeCursor(q.cursor, fingerprint) : undefined;
  const mine = actor.kind === "user" ? actor.teams.map((team) => team.id) : [];
  const where: Prisma.ServiceWhereInput = {
    AND: [
      ...words.map((word) => ({ searchText: { contains: word } })),
      q.team === "mine" ? { ownerTeamId: { in: mine } } : q.team ? { ownerTeam: { slug: q.team } } : {},
      q.tier ? { tier: q.tier } : {},
      q.lifecycle ? { lifecycle: q.lifecycle } : {},
      q.language ? { language: { equals: q.language, mode: "insensitive" } } : {},
      q.retired === "exclude" ? { retiredAt: null } : q.retired === "only" ? { retiredAt: { not: null } } : {},
    ],
  };
  const orderBy: Prisma.ServiceOrderByWithRelationInput[] = [
    q.sort === "updated"
      ? { updatedAt: q.order }
      : q.sort === "tier"
        ? { tier: q.order }
        : q.sort === "team"
          ? { ownerTeam: { name: q.order } }
          : { displayName: q.order },
    { slug: "asc" },
  ];
  const page = cursor?.p ?? q.page;
  // One row more than the page says whether there is a next one.
  const read =
    cursor && q.sort === "tier"
      ? tiersAfter(where, q.order, cursor.k, q.pageSize + 1)
      : getPrisma().service.findMany({
          where: cursor ? { AND: [where, afterCursor(q.sort, q.order, cursor.k)] } : where,
          orderBy,
          ...(cursor ? {} : { skip: (q.page - 1) * q.pageSize }),
          take: q.pageSize + 1,
          include: serviceInclude,
        });
  // The total is counted once per walk: pages reached by a cursor carry the first page's count.
  const [rows, counted] = await Promise.all([read, cursor ? null : getPrisma().service.count({ where })]);
  const total = cursor ? cursor.t : counted!;
  const countedAt = cursor ? cursor.c : Date.now();
  const services = rows.slice(0, q.pageSize);
  const last = services.at(-1);
  const nextCursor =
    rows.length > q.pageSize && last ? encodeCursor({ f: fingerprint, k: [sortValue(q.sort, last), last.slug], p: page + 1, t: total, c: countedAt }) : null;
  return {
    services: services.map(toServiceView),
    total,
    totalExact: !cursor,
    totalCountedAt: new Date(countedAt).toISOString(),
    nextCursor,
    page,
    pageSize: q.pageSize,
    query: q,
  };
}

/** Values for the filter menus. */
export async function catalogFacets({ actor }: { actor: Actor }): Promise<{ teams: { slug: string; name: string }[]; languages: string[] }> {
  if (!can(actor, "service:read")) throw forbidden("service:read");
  const [teams, languages] = await Promise.all([
    getPrisma().team.findMany({ where: { archivedAt: null }, select: { slug: true, name: true }, orderBy: { name: "asc" } }),
    // DISTINCT in PostgreSQL: Prisma's `distinct` dedupes in the client, so every active service's row was read for the
    // handful of languages (50,000 rows on each /catalog render: ~100 ms of the web process's CPU a page).
    getPrisma().$queryRaw<{ language: string }[]>`
      SELECT DISTINCT language FROM "Service" WHERE language IS NOT NULL AND language <> '' AND "retiredAt" IS NULL ORDER BY language`,
  ]);
  return { teams, languages: languages.map((row) => row.language) };
}
