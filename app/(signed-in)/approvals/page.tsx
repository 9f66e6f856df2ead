import type { Metadata } from "next";
import { ApprovalsInbox } from "@/components/approvals/approvals-inbox";
import { requireActor } from "@/lib/auth/current-actor";
import { listApprovals } from "@/lib/approvals/list-approvals";

export const metadata: Metadata = { title: "Approvals" };

export default async function ApprovalsPage() {
  const actor = await requireActor();
  const inbox = await listApprovals({ actor });
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-3xl font-bold">Approvals</h1>
        <p className="text-muted-foreground">
          Everything waiting for your decision, oldest first: production deployments your teammates requested
          {actor.isAdmin ? " (every team's, as a platform admin) and namespace requests" : ""}. Approving or rejecting tells the requester; a rejection needs a
          reason they can act on.
        </p>
      </div>
      <ApprovalsInbox initial={inbox} />
    </div>
  );
}
