// Approvals inboxes (/approvals and the count in the navigation) watch one
// topic: something entered or left someone's inbox (a production deployment
// or a namespace request was filed, approved, rejected, withdrawn or
// cancelled). The notice says no more than that; each inbox refetches its own
// items through the API, with its permission checks. Sent inside the
// deciding transaction, so it arrives only if the decision commits.
import type { Prisma } from "@/lib/db/generated/client";
import { noticeInTransaction, type Change } from "@/lib/changes/publish-change";

export const approvalsChange: Change = { kind: "approvals", id: "inbox" };

export async function approvalsChanged(tx: Pick<Prisma.TransactionClient, "$executeRaw">): Promise<void> {
  await noticeInTransaction(tx, approvalsChange);
}
