import { z } from "zod";
import { getPrisma } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { parseInput } from "@/lib/validation";
import { lifecycles, tiers } from "@/lib/catalog/service-input";
import { serviceInclude, toServiceView, type ServiceView } from "@/lib/catalog/service-view";

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
});

export type ServiceQuery = z.input<typeof serviceQuery>;

export interface ServicePage {
  services: ServiceView[];
  total: number;
  page: number;
  pageSize: number;
  query: z.output<typeof serviceQuery>;
}

const tierRank: Prisma.ServiceOrderByWithRelationInput = { tier: "asc" };

export async function listServices({ actor, query }: { actor: Actor; query: ServiceQuery }): Promise<ServicePage> {
  if (!can(actor, "service:read")) throw forbidden("service:read");
  const q = parseInput(serviceQuery, query);
  const words = (q.q ?? "").toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8);
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
        ? { ...tierRank, tier: q.order }
        : q.sort === "team"
          ? { ownerTeam: { name: q.order } }
          : { displayName: q.order },
    { slug: "asc" },
  ];
  const [rows, total] = await Promise.all([
    getPrisma().service.findMany({ where, orderBy, skip: (q.page - 1) * q.pageSize, take: q.pageSize, include: serviceInclude }),
    getPrisma().service.count({ where }),
  ]);
  return { services: rows.map(toServiceView), total, page: q.page, pageSize: q.pageSize, query: q };
}

/** Values for the filter menus. */
export async function catalogFacets({ actor }: { actor: Actor }): Promise<{ teams: { slug: string; name: string }[]; languages: string[] }> {
  if (!can(actor, "service:read")) throw forbidden("service:read");
  const [teams, languages] = await Promise.all([
    getPrisma().team.findMany({ where: { archivedAt: null }, select: { slug: true, name: true }, orderBy: { name: "asc" } }),
    getPrisma().service.findMany({
      where: { language: { not: null }, retiredAt: null },
      select: { language: true },
      distinct: ["language"],
      orderBy: { language: "asc" },
    }),
  ]);
  return { teams, languages: languages.map((row) => row.language!).filter(Boolean) };
}
