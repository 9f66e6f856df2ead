// Revokes a screen's token at once: its next request is refused, and the
// notice ends its live stream (every web process gets it through the change
// feed), so the screen says so within seconds.
import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { noticeInTransaction } from "@/lib/changes/publish-change";
import { toDisplayView, type DisplayView } from "./board-view";
import { lockDisplayTarget, type DisplayTarget } from "./manageable-board";

export async function revokeDisplay({
  actor,
  slug,
  displayId,
  target = "board",
  now = new Date(),
}: {
  actor: Actor;
  slug: string;
  displayId: string;
  target?: DisplayTarget;
  now?: Date;
}): Promise<DisplayView> {
  return getPrisma().$transaction(async (tx) => {
    const shows = await lockDisplayTarget(tx, actor, target, slug, "display.revoke");
    const display = await tx.display.findFirst({
      where: { id: displayId, ...(shows.playlistId ? { playlistId: shows.playlistId } : { boardId: shows.boardId! }) },
    });
    if (!display) throw new AppError("not_found", `${target === "board" ? "Board" : "Playlist"} "${slug}" has no screen with the id ${displayId}.`);
    if (display.revokedAt) throw new AppError("conflict", `Screen “${display.label}” was already revoked.`);
    const revoked = await tx.display.update({ where: { id: display.id }, data: { revokedAt: now, revokedByName: actor.name } });
    await recordAuditEvent(tx, {
      actor,
      action: "display.revoke",
      resourceType: "display",
      resourceId: display.id,
      outcome: "success",
      before: { [target]: slug, label: display.label },
      after: { revokedAt: now.toISOString() },
    });
    await noticeInTransaction(tx, { kind: "display", id: display.id });
    return toDisplayView(revoked, now);
  });
}
