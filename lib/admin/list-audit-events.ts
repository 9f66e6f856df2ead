// Reading the audit log, for admins (page and API). Apart from lib/audit,
// which every area (lib/auth too) writes through, because reading checks a
// permission and lib/audit must not depend on lib/auth.
import { z } from "zod";
import { getPrisma } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { forbidden, can, type Actor } from "@/lib/auth/permissions";
import { parseInput } from "@/lib/validation";
import { oneOf } from "@/lib/db/one-of";
import { auditOutcomes, type AuditOutcome } from "@/lib/audit/record-audit-event";

export const auditFilter = z.object({
  actor: z.string().trim().max(100, "Search for an actor with at most 100 characters.").optional(),
  action: z.string().trim().max(100, "Search for an action with at most 100 characters.").optional(),
  from: z.coerce.date({ error: "Give the start as a date, such as 2026-11-01." }).optional(),
  to: z.coerce.date({ error: "Give the end as a date, such as 2026-11-30." }).optional(),
  /** Id of the last event on the previous page: pages are keyset, newest first. */
  before: z.coerce
    .bigint({ error: "The page cursor is not valid; open the audit log again." })
    // Ids are PostgreSQL bigints: a cursor outside them would overflow the query (a 500).
    .min(1n, "The page cursor is not valid; open the audit log again.")
    .max(2n ** 63n - 1n, "The page cursor is not valid; open the audit log again.")
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export type AuditFilter = z.input<typeof auditFilter>;

export interface AuditEventView {
  id: string;
  at: string;
  actorName: string;
  action: string;
  resourceType: string;
  resourceId: string | null;
  outcome: AuditOutcome;
  before: unknown;
  after: unknown;
  detail: string | null;
  /** For a refusal that opened a window: how many identical refusals it stands for (itself included), and the last one's time. */
  repeated: { count: number; lastAt: string } | null;
}

export async function listAuditEvents({
  actor,
  filter,
}: {
  actor: Actor;
  filter: AuditFilter;
}): Promise<{ events: AuditEventView[]; nextBefore: string | null }> {
  if (!can(actor, "audit:read")) throw forbidden("audit:read");
  const f = parseInput(auditFilter, filter);
  const where: Prisma.AuditEventWhereInput = {
    ...(f.actor && { actorName: { contains: f.actor, mode: "insensitive" } }),
    ...(f.action && { action: { startsWith: f.action } }),
    ...((f.from || f.to) && { at: { ...(f.from && { gte: f.from }), ...(f.to && { lte: f.to }) } }),
    ...(f.before !== undefined && { id: { lt: f.before } }),
  };
  const prisma = getPrisma();
  const rows = await prisma.auditEvent.findMany({ where, orderBy: { id: "desc" }, take: f.limit + 1 });
  const page = rows.slice(0, f.limit);
  const denied = page.filter((row) => row.outcome === "denied").map((row) => row.id);
  const repeats = new Map(
    denied.length ? (await prisma.auditRefusalRepeat.findMany({ where: { auditEventId: { in: denied } } })).map((repeat) => [repeat.auditEventId, repeat]) : [],
  );
  return {
    events: page.map((row) => ({
      id: row.id.toString(),
      at: row.at.toISOString(),
      actorName: row.actorName,
      action: row.action,
      resourceType: row.resourceType,
      resourceId: row.resourceId,
      outcome: oneOf(auditOutcomes, row.outcome, "AuditEvent.outcome"),
      before: row.before,
      after: row.after,
      detail: row.detail,
      repeated: repeatedView(repeats.get(row.id)),
    })),
    nextBefore: rows.length > f.limit ? page.at(-1)!.id.toString() : null,
  };
}

function repeatedView(repeat: { count: number; lastAt: Date } | undefined): AuditEventView["repeated"] {
  return repeat && repeat.count > 1 ? { count: repeat.count, lastAt: repeat.lastAt.toISOString() } : null;
}
