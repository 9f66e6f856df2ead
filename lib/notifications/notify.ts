// Notifications are written in the same transaction as the decision or
// result they announce, so a person never misses one that happened. A change
// notice per recipient goes with them (delivered at commit), so the bell
// updates at once instead of polling.
import type { Prisma } from "@/lib/db/generated/client";
import { getConfig } from "@/lib/config";
import { noticeInTransaction } from "@/lib/changes/publish-change";
import { platformAdminConditions } from "@/lib/auth/actor";

type Writer = Pick<Prisma.TransactionClient, "notification" | "user" | "$executeRaw">;

export interface NotificationInput {
  message: string;
  link: string;
}

export async function notifyUser(db: Writer, userId: string, notification: NotificationInput): Promise<void> {
  await db.notification.create({ data: { userId, ...notification } });
  await noticeInTransaction(db, { kind: "notification", id: userId });
}

/** Every platform admin as of their last sign-in (app role or admin group). */
export async function notifyAdmins(db: Writer, notification: NotificationInput): Promise<void> {
  const admins = await db.user.findMany({
    where: { OR: platformAdminConditions(getConfig().identity) },
    select: { id: true },
  });
  if (admins.length) await db.notification.createMany({ data: admins.map((admin) => ({ userId: admin.id, ...notification })) });
  for (const admin of admins) await noticeInTransaction(db, { kind: "notification", id: admin.id });
}

/**
 * A team's members (by its Entra groups, as of their last sign-in) and every platform admin, each once, except
 * `exceptUserId`: who may approve a team's production deployment, who hears of its budget. Returns how many were told.
 */
export async function notifyTeamAndAdmins(
  db: Writer,
  { teamGroupIds, exceptUserId }: { teamGroupIds: string[]; exceptUserId: string | null },
  notification: NotificationInput,
): Promise<number> {
  const recipients = await db.user.findMany({
    where: {
      OR: [...(teamGroupIds.length ? [{ groupIds: { hasSome: teamGroupIds } }] : []), ...platformAdminConditions(getConfig().identity)],
      ...(exceptUserId ? { id: { not: exceptUserId } } : {}),
    },
    select: { id: true },
    take: 500,
  });
  if (recipients.length) await db.notification.createMany({ data: recipients.map((recipient) => ({ userId: recipient.id, ...notification })) });
  for (const recipient of recipients) await noticeInTransaction(db, { kind: "notification", id: recipient.id });
  return recipients.length;
}

/**
 * The asks for a decision once it is made (approved, rejected, withdrawn, cancelled): read for everyone they went to,
 * so no bell keeps asking for what someone already decided. They stay in each person's list. Call it before the
 * decision's own notice, which shares the link for deployments.
 */
export async function settleAsks(db: Writer, link: string): Promise<void> {
  const asks = await db.notification.findMany({ where: { link, readAt: null }, select: { id: true, userId: true } });
  if (!asks.length) return;
  await db.notification.updateMany({ where: { id: { in: asks.map((ask) => ask.id) } }, data: { readAt: new Date() } });
  for (const userId of new Set(asks.map((ask) => ask.userId))) await noticeInTransaction(db, { kind: "notification", id: userId });
}
