// A screen exchanges its display token for the cookie (decision 0026): the
// token is checked for this board, the exchange audited either way, and the
// screen's browser noted. The route handler sets the cookie.
import { getPrisma } from "@/lib/db/client";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { checkDisplayToken, touchDisplay, type DisplayCheck } from "@/lib/auth/display-token";

export async function connectDisplay({
  token,
  slug,
  userAgent,
  now = new Date(),
}: {
  token: string | null;
  slug: string;
  userAgent: string | null;
  now?: Date;
}): Promise<DisplayCheck> {
  const check = await checkDisplayToken(token, slug, now);
  const prisma = getPrisma();
  if (!check.ok) {
    await recordAuditEvent(prisma, {
      actor: { kind: "anonymous", name: "Unknown screen" },
      action: "display.connect",
      resourceType: "display",
      resourceId: check.displayId ?? null,
      outcome: "denied",
      detail: `${check.refusal} token for board ${slug}`,
    });
    return check;
  }
  await recordAuditEvent(prisma, {
    actor: check.actor,
    action: "display.connect",
    resourceType: "display",
    resourceId: check.actor.displayId,
    outcome: "success",
    after: { board: slug, userAgent },
  });
  await touchDisplay({ ...check, lastSeenAt: null }, userAgent, now);
  return check;
}
