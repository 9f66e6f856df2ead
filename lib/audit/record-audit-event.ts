// Audit events are written in the same transaction as the change they record.
// There is no update or delete function, and the database refuses both.
// Every area records events, lib/auth too (sign-in, refusals), so this module
// sits below them all and imports nothing of Wharf's but the database types:
// any actor of lib/auth/permissions.ts fits `AuditActor`.
import type { Prisma } from "@/lib/db/generated/client";

/** The database's CHECK constraint allows exactly these (lib/status-checks.test.ts). */
export const auditOutcomes = ["success", "denied", "failure"] as const;
export type AuditOutcome = (typeof auditOutcomes)[number];

type AuditWriter = {
  auditEvent: { create(args: { data: Prisma.AuditEventCreateInput }): Promise<{ id: bigint }> };
  auditRefusalRepeat: {
    findFirst(args: Prisma.AuditRefusalRepeatFindFirstArgs): Promise<{ auditEventId: bigint } | null>;
    update(args: { where: { auditEventId: bigint }; data: Prisma.AuditRefusalRepeatUpdateInput }): Promise<unknown>;
    create(args: { data: Prisma.AuditRefusalRepeatUncheckedCreateInput }): Promise<unknown>;
  };
};

/**
 * Identical refusals (same actor, action, resource and detail) are one audit row while
 * each comes within `refusalWindowMs` of the last and within an hour of the
 * first; the rest are a count beside that row. A flood of refused requests
 * adds a row per window, not one per request; the log stays append-only.
 */
export const refusalWindowMs = 10 * 60_000;
const refusalWindowCapMs = 60 * 60_000;

/** Who did it: a user (recorded with their id) or anything else with a name (system, pipeline, anonymous). */
export type AuditActor = { kind: "user"; userId: string; name: string } | { kind: "system" | "pipeline" | "display" | "anonymous"; name: string };

export interface AuditEventInput {
  actor: AuditActor;
  action: string;
  resourceType: string;
  resourceId?: string | null;
  outcome: AuditOutcome;
  before?: unknown;
  after?: unknown;
  detail?: string;
}

function asJson(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined || value === null) return undefined;
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}

export async function recordAuditEvent(db: AuditWriter, event: AuditEventInput, now = new Date()): Promise<void> {
  const key =
    event.outcome === "denied"
      ? [
          event.actor.kind === "user" ? event.actor.userId : event.actor.name,
          event.action,
          event.resourceType,
          event.resourceId ?? "",
          event.detail ?? "",
        ].join("\u001f")
      : null;
  if (key) {
    const open = await db.auditRefusalRepeat.findFirst({
      where: { key, lastAt: { gt: new Date(now.getTime() - refusalWindowMs) }, firstAt: { gt: new Date(now.getTime() - refusalWindowCapMs) } },
      orderBy: { lastAt: "desc" },
      select: { auditEventId: true },
    });
    if (open) {
      await db.auditRefusalRepeat.update({ where: { auditEventId: open.auditEventId }, data: { count: { increment: 1 }, lastAt: now } });
      return;
    }
  }
  const created = await db.auditEvent.create({
    data: {
      actorId: event.actor.kind === "user" ? event.actor.userId : null,
      actorName: event.actor.name,
      action: event.action,
      resourceType: event.resourceType,
      resourceId: event.resourceId ?? null,
      outcome: event.outcome,
      before: asJson(event.before),
      after: asJson(event.after),
      detail: event.detail ?? null,
    },
  });
  if (key) await db.auditRefusalRepeat.create({ data: { auditEventId: created.id, key, firstAt: now, lastAt: now } });
}
