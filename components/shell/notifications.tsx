"use client";
import Link from "next/link";
import { useState } from "react";
import { Bell } from "lucide-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { callApi } from "@/lib/api/client-fetch";
import { RelativeTime } from "@/components/ui/relative-time";
import { useHydrated } from "@/components/ui/hydrated-fieldset";
import { shellQueryKey, useChangeFeed } from "@/components/shell/use-change-feed";
import type { NotificationView } from "@/lib/notifications/list-notifications";

type Notifications = { unread: number; items: NotificationView[] };

/** Decisions and results reach the person who asked within seconds, wherever they are in Wharf. */
export function NotificationsMenu() {
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  // A click before hydration would open nothing; wait, as Button does.
  const hydrated = useHydrated();
  // A notice per new notification refetches at once; polling is the fallback, quick only while the stream is down.
  // The shell's one stream also carries approvals:inbox, for the inbox's count and page (queries under "shell").
  const live = useChangeFeed(["notifications:me", "approvals:inbox"], shellQueryKey);
  const query = useQuery({
    queryKey: [...shellQueryKey, "notifications"],
    queryFn: () => callApi<Notifications>("/api/v1/notifications"),
    refetchInterval: live ? 60_000 : 5_000,
  });
  const markRead = useMutation({
    mutationFn: () => callApi("/api/v1/notifications", { method: "POST" }),
    onSuccess: () => client.invalidateQueries({ queryKey: [...shellQueryKey, "notifications"] }),
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
