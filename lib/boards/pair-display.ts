// Someone who manages a board or playlist types the code a new screen shows:
// the screen becomes a Display of it, its token the screen's own pairing secret
// (display-pairing.ts). A wrong, expired or already used code each says so,
// and nothing is paired. Audited in the same transaction.
import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { parseInput } from "@/lib/validation";
import { createDisplayInput, pairDisplayInput } from "./board-input";
import { toDisplayView, type DisplayView } from "./board-view";
import { lockDisplayTarget, type DisplayTarget } from "./manageable-board";
import { formatPairingCode, normalizePairingCode, pairingMinutes } from "./display-pairing";

export async function pairDisplay({
  actor,
  slug,
  code: typed,
  input,
  target = "board",
  now = new Date(),
}: {
  actor: Actor;
  slug: string;
  code: string;
  input: unknown;
  target?: DisplayTarget;
  now?: Date;
}): Promise<DisplayView> {
  const data = parseInput(createDisplayInput, input);
  const code = normalizePairingCode(typed);
  if (!code) throw new AppError("invalid_input", "A pairing code is the 6 letters and digits the screen shows, such as K7Q-M4X.", { path: ["code"] });
  return getPrisma().$transaction(async (tx) => {
    const shows = await lockDisplayTarget(tx, actor, target, slug, "display.pair");
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "DisplayPairing" WHERE code = ${code} FOR UPDATE`;
    const pairing = locked[0] ? await tx.displayPairing.findUniqueOrThrow({ where: { id: locked[0].id } }) : null;
    const shown = formatPairingCode(code);
    if (!pairing)
      throw new AppError("invalid_input", `No screen shows the code ${shown}. Check the code on the screen (it changes every ${pairingMinutes} minutes).`, {
        path: ["code"],
      });
    if (pairing.pairedAt)
      throw new AppError("conflict", `The code ${shown} was already used to pair a screen; the screen shows a new code if it still needs one.`, {
        path: ["code"],
      });
    if (pairing.expiresAt <= now)
      throw new AppError("invalid_input", `The code ${shown} has expired; type the new code the screen shows now.`, { path: ["code"] });
    const display = await tx.display.create({
      data: {
        ...shows,
        label: data.label,
        tokenHash: pairing.secretHash,
        expiresAt: new Date(now.getTime() + data.expiresInDays * 86_400_000),
        userAgent: pairing.userAgent,
        createdById: actor.kind === "user" ? actor.userId : null,
        createdByName: actor.name,
        createdAt: now,
      },
    });
    await tx.displayPairing.update({ where: { id: pairing.id }, data: { pairedAt: now, boardSlug: slug, displayId: display.id } });
    const view = toDisplayView(display, now);
    await recordAuditEvent(tx, {
      actor,
      action: "display.pair",
      resourceType: "display",
      resourceId: display.id,
      outcome: "success",
      after: { [target]: slug, label: view.label, expiresAt: view.expiresAt, code: shown },
    });
    return view;
  });
}

/** The API's form of `pairDisplay`: one body with the code, the label and the expiry. */
export async function pairDisplayFromBody({
  actor,
  slug,
  target,
  body,
}: {
  actor: Actor;
  slug: string;
  target: DisplayTarget;
  body: unknown;
}): Promise<DisplayView> {
  const { code, ...input } = parseInput(pairDisplayInput, body);
  return pairDisplay({ actor, slug, target, code, input });
}
