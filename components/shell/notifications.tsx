"use client";
import Link from "next/link";
import { useEffect, useState } from "react";
import { Bell } from "lucide-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { callApi } from "@/lib/api/client-fetch";
import { RelativeTime } from "@/components/ui/relative-time";
import { useHydrated } from "@/components/ui/hydrated-fieldset";
import { shellQueryKey, useChangeFeed } from "@/components/shell/use-change-feed";
import type { NotificationView } from "@/lib/notifications/list-notifications";
import type { Change } from "@/lib/changes/publish-change";

type Notifications = { unread: number; items: NotificationView[] };

const notificationsKey = [...shellQueryKey, "notifications"];
/** The approvals count and inbox (components/shell/approvals-badge.tsx, components/approvals/approvals-inbox.tsx). */
const approvalsKeys = [...shellQueryKey, "approvals"];

/** A notice about the person's notifications refetches the bell alone; one about approvals inboxes, the approvals queries alone. */
function shellKeyOf(change: Change): readonly unknown[] {
  return change.kind === "notification" ? notificationsKey : approvalsKeys;
}

/**
 * The bell's timer: a slow check that keeps it right if a notice was missed while the stream was up, sooner while
 * the stream is down (it reopens with backoff and refetches when it is back).
 */
const pollWhileLiveMs = 5 * 60_000;
const pollWhileDownMs = 60_000;
/** The first fetch waits for the stream (so nothing falls between the two), but no longer than this. */
const waitForStreamMs = 3_000;

/** Decisions and results reach the person who asked within seconds, wherever they are in Wharf. */
export function NotificationsMenu() {
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  // A click before hydration would open nothing; wait, as Button does.
  const hydrated = useHydrated();
  // A notice per new notification (the person's own topic; the server maps notifications:me to it) refetches at once,
  // and every reconnect of the stream refetches; the timer is only the fallback.
  // The shell's one stream also carries approvals:inbox, for the inbox's count and page (queries under "shell").
  const live = useChangeFeed(["notifications:me", "approvals:inbox"], shellQueryKey, shellKeyOf);
  const [waited, setWaited] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setWaited(true), waitForStreamMs);
    return () => clearTimeout(timer);
  }, []);
  const query = useQuery({
    queryKey: notificationsKey,
    queryFn: () => callApi<Notifications>("/api/v1/notifications"),
    enabled: live || waited,
    refetchInterval: live ? pollWhileLiveMs : pollWhileDownMs,
  });
  const markRead = useMutation({
    mutationFn: () => callApi("/api/v1/notifications", { method: "POST" }),
    onSuccess: () => client.invalidateQueries({ queryKey: notificationsKey }),
  });
  const unread = query.data?.unread ?? 0;
  return (
    <DropdownMenu.Root
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next && unread > 0) markRead.mutate();
      }}
    >
      <DropdownMenu.Trigger
        disabled={!hydrated}
        className="relative rounded-md p-2 hover:bg-muted focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
        aria-label={unread ? `Notifications, ${unread} unread` : "Notifications"}
      >
        <Bell className="h-5 w-5" aria-hidden />
        {unread > 0 && (
          <span className="absolute -right-0.5 -top-0.5 min-w-5 rounded-full bg-destructive px-1 text-center text-xs font-bold text-destructive-foreground">
            {unread > 99 ? "99+" : unread}
          </span>
        )}
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content align="end" sideOffset={6} className="z-50 w-96 max-w-[90vw] rounded-md border border-border bg-card p-1 shadow-lg">
          <DropdownMenu.Label className="px-3 py-2 text-sm font-semibold">Notifications</DropdownMenu.Label>
          {query.isError && <p className="px-3 py-2 text-sm text-destructive">Could not load notifications: {query.error.message}</p>}
          {query.data?.items.length === 0 && (
            <p className="px-3 py-2 text-sm text-muted-foreground">Nothing yet. Decisions on your requests and provisioning results appear here.</p>
          )}
          {query.data?.items.map((item) => (
            <DropdownMenu.Item key={item.id} asChild>
              <Link href={item.link} className="block rounded px-3 py-2 text-sm outline-none hover:bg-muted focus:bg-muted">
                <span className={item.read ? "text-muted-foreground" : "font-medium"}>
                  {!item.read && <span className="sr-only">Unread: </span>}
                  {item.message}
                </span>
                <span className="block text-xs text-muted-foreground">
                  <RelativeTime iso={item.createdAt} />
                </span>
              </Link>
            </DropdownMenu.Item>
          ))}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
