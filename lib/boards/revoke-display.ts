// Revokes a screen's token at once: its next request is refused, and the
// notice ends its live stream (every web process gets it through the change
// feed), so the screen says so within seconds.
import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { noticeInTransaction } from "@/lib/changes/publish-change";
import { toDisplayView, type DisplayView } from "./board-view";
import { lockManageableBoard } from "./manageable-board";

export async function revokeDisplay({
  actor,
  slug,
  displayId,
  now = new Date(),
}: {
  actor: Actor;
  slug: string;
  displayId: string;
  now?: Date;
}): Promise<DisplayView> {
  return getPrisma().$transaction(async (tx) => {
    const board = await lockManageableBoard(tx, actor, slug, "display.revoke");
    const display = await tx.display.findFirst({ where: { id: displayId, boardId: board.id } });
    if (!display) throw new AppError("not_found", `Board "${slug}" has no screen with the id ${displayId}.`);
    if (display.revokedAt) throw new AppError("conflict", `Screen “${display.label}” was already revoked.`);
    const revoked = await tx.display.update({ where: { id: display.id }, data: { revokedAt: now, revokedByName: actor.name } });
    await recordAuditEvent(tx, {
      actor,
      action: "display.revoke",
      resourceType: "display",
      resourceId: display.id,
      outcome: "success",
      before: { board: slug, label: display.label },
      after: { revokedAt: now.toISOString() },
    });
    await noticeInTransaction(tx, { kind: "display", id: display.id });
    return toDisplayView(revoked, now);
  });
}
