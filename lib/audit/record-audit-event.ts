// Audit events are written in the same transaction as the change they record.
// There is no update or delete function, and the database refuses both.
// Every area records events, lib/auth too (sign-in, refusals), so this module
// sits below them all and imports nothing of Wharf's but the database types:
// any actor of lib/auth/permissions.ts fits `AuditActor`.
import type { Prisma } from "@/lib/db/generated/client";

/** The database's CHECK constraint allows exactly these (lib/status-checks.test.ts). */
export const auditOutcomes = ["success", "denied", "failure"] as const;
export type AuditOutcome = (typeof auditOutcomes)[number];

type AuditWriter = { auditEvent: { create(args: { data: Prisma.AuditEventCreateInput }): Promise<unknown> } };

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

export async function recordAuditEvent(db: AuditWriter, event: AuditEventInput): Promise<void> {
  await db.auditEvent.create({
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
}
