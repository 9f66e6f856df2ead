import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/app-shell";
import { requireActor } from "@/lib/auth/current-actor";
import { actsForAnyTeam } from "@/lib/auth/permissions";
import { countApprovals } from "@/lib/approvals/list-approvals";
import { logger } from "@/lib/logger";

export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const actor = await requireActor();
  // The badge is a convenience: a failed count leaves it to the browser's fetch rather than failing the page.
  const approvalsCount = actsForAnyTeam(actor)
    ? await countApprovals({ actor }).catch((error: unknown) => {
        logger.warn({ err: error }, "approvals count failed; the badge will fetch it");
        return null;
      })
    : null;
  return (
    <AppShell actor={actor} approvalsCount={approvalsCount}>
      {children}
    </AppShell>
  );
}
