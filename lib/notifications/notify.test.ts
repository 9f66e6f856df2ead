// Integration: a notification announces itself on the change feed when (and
// only when) its transaction commits, on the recipient's own topic, so the
// bell of that person alone updates at once.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { subscribeToChanges } from "@/lib/changes/change-feed";
import type { Change } from "@/lib/changes/publish-change";
import { getPrisma } from "@/lib/db/client";
import { notifyUser } from "@/lib/notifications/notify";

async function person(name: string): Promise<string> {
  const user = await getPrisma().user.create({
    data: { entraObjectId: randomUUID(), tenantId: randomUUID(), name, email: `${name}@example.test`, groupIds: [], appRoles: [], lastSignInAt: new Date() },
  });
  return user.id;
}

describe("notifyUser", () => {
  it("sends a notice on the recipient's topic at commit, and none when the transaction rolls back", async () => {
    const recipient = await person("recipient");
    const other = await person("other");
    const received: Change[] = [];
    const stop = await subscribeToChanges([`notification:${recipient}`], (change) => received.push(change));
    try {
      await getPrisma()
        .$transaction(async (tx) => {
          await notifyUser(tx, recipient, { message: "rolled back", link: "/" });
          throw new Error("the decision failed");
        })
        .catch(() => undefined);
      await getPrisma().$transaction((tx) => notifyUser(tx, other, { message: "for someone else", link: "/" }));
      await getPrisma().$transaction((tx) => notifyUser(tx, recipient, { message: "Payments approved your request.", link: "/namespaces" }));
      await expect.poll(() => received, { timeout: 5_000 }).toEqual([{ kind: "notification", id: recipient }]);
      expect(await getPrisma().notification.count({ where: { userId: recipient } })).toBe(1);
    } finally {
      stop();
    }
  });
});
