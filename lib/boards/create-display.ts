// A display token for one board or playlist: random, shown once (returned here and
// nowhere else), stored as its SHA-256, with an expiry (decision 0026).
import { getPrisma } from "@/lib/db/client";
import type { Actor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { newDisplayToken } from "@/lib/auth/display-token";
import { parseInput } from "@/lib/validation";
import { createDisplayInput } from "./board-input";
import { toDisplayView, type DisplayView } from "./board-view";
import { lockDisplayTarget, type DisplayTarget } from "./manageable-board";

export async function createDisplay({
  actor,
  slug,
  input,
  target = "board",
  now = new Date(),
}: {
  actor: Actor;
  slug: string;
  input: unknown;
  target?: DisplayTarget;
  now?: Date;
}): Promise<{ display: DisplayView; token: string; url: string }> {
  const data = parseInput(createDisplayInput, input);
  return getPrisma().$transaction(async (tx) => {
    const shows = await lockDisplayTarget(tx, actor, target, slug, "display.create");
    const { token, tokenHash } = newDisplayToken();
    const display = await tx.display.create({
      data: {
        ...shows,
        label: data.label,
        tokenHash,
        expiresAt: new Date(now.getTime() + data.expiresInDays * 86_400_000),
        createdById: actor.kind === "user" ? actor.userId : null,
        createdByName: actor.name,
        createdAt: now,
      },
    });
    const view = toDisplayView(display, now);
    await recordAuditEvent(tx, {
      actor,
      action: "display.create",
      resourceType: "display",
      resourceId: display.id,
      outcome: "success",
      after: { [target]: slug, label: view.label, expiresAt: view.expiresAt },
    });
    return { display: view, token, url: `/display/${slug}?token=${token}` };
  });
}
