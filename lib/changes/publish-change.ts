// Change notices for live views: after a write, a NOTIFY on `wharf_changes`
// says what changed (never the data), and every web process relays it to the
// pages that watch that thing, which then fetch it through the API (with its
// permission checks). Pages also poll, so a lost notice costs only a delay.
import { getPrisma } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { logger } from "@/lib/logger";

export const changeChannel = "wharf_changes";

/** `notification` is per person: its id is the user's, and only that user may watch it (app/api/v1/stream). */
/** `session` (id: the session's token hash): a session ended; every web process forgets its actor (lib/auth/actor-cache.ts). */
/** `approvals` (id `inbox`): something entered or left an approvals inbox (lib/notifications/approvals-changed.ts). */
export type ChangeKind =
  "deployment" | "namespace" | "namespace-request" | "health" | "notification" | "board" | "playlist" | "display" | "approvals" | "session";

export interface Change {
  kind: ChangeKind;
  id: string;
}

export function changeTopic(change: Change): string {
  return `${change.kind}:${change.id}`;
}

/** The notice as part of an interactive transaction (`tx`): PostgreSQL delivers it when (and only if) the transaction commits, without a commit of its own. */
export async function noticeInTransaction(tx: Pick<Prisma.TransactionClient, "$executeRaw">, change: Change): Promise<void> {
  await tx.$executeRaw`SELECT pg_notify(${changeChannel}, ${JSON.stringify(change)})`;
}

export async function publishChange(change: Change): Promise<void> {
  await getPrisma().$executeRaw`SELECT pg_notify(${changeChannel}, ${JSON.stringify(change)})`.catch((error: unknown) =>
    logger.debug({ err: error, change }, "change notice not sent"),
  );
}
