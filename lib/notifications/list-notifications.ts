import { getPrisma } from "@/lib/db/client";
import type { UserActor } from "@/lib/auth/permissions";

export interface NotificationView {
  id: string;
  message: string;
  link: string;
  createdAt: string;
  read: boolean;
}

/** The actor's most recent notifications and how many are unread. */
export async function listNotifications({ actor, limit = 20 }: { actor: UserActor; limit?: number }): Promise<{ unread: number; items: NotificationView[] }> {
  const prisma = getPrisma();
  const [unread, rows] = await Promise.all([
    prisma.notification.count({ where: { userId: actor.userId, readAt: null } }),
    prisma.notification.findMany({ where: { userId: actor.userId }, orderBy: { createdAt: "desc" }, take: Math.min(Math.max(limit, 1), 100) }),
  ]);
  return {
    unread,
    items: rows.map((row) => ({ id: row.id, message: row.message, link: row.link, createdAt: row.createdAt.toISOString(), read: row.readAt !== null })),
  };
}

/** Marks all of the actor's notifications read; nobody else's can be touched. */
export async function markNotificationsRead({ actor }: { actor: UserActor }): Promise<number> {
  const { count } = await getPrisma().notification.updateMany({ where: { userId: actor.userId, readAt: null }, data: { readAt: new Date() } });
  return count;
}
