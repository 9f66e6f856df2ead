"use client";
// The count beside "Approvals" in the navigation: from the server with the
// page, then kept current by the shell's stream (approvals:inbox, refetched
// under the "shell" query key) and a slow poll as the fallback.
import { useQuery } from "@tanstack/react-query";
import { callApi } from "@/lib/api/client-fetch";
import { shellQueryKey } from "@/components/shell/use-change-feed";

export const approvalsCountKey = [...shellQueryKey, "approvals", "count"];

export function ApprovalsBadge({ initial }: { initial: number | null }) {
  const query = useQuery({
    queryKey: approvalsCountKey,
    queryFn: () => callApi<{ count: number }>("/api/v1/approvals/count"),
    initialData: initial === null ? undefined : { count: initial },
    refetchInterval: 60_000,
  });
  const count = query.data?.count ?? 0;
  if (count === 0) return null;
  return (
    <>
      <span aria-hidden className="ml-1.5 inline-block min-w-5 rounded-full bg-warning px-1.5 text-center text-xs font-bold text-warning-foreground">
        {count > 99 ? "99+" : count}
      </span>
      <span className="sr-only">, {count} waiting</span>
    </>
  );
}
