"use client";
import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { ChevronDown, LogOut } from "lucide-react";
import { useRef } from "react";
import { useHydrated } from "@/components/ui/hydrated-fieldset";

export function UserMenu({ name, email, role }: { name: string; email: string; role: string }) {
  // The form lives outside the menu: the menu unmounts its content when an
  // item is chosen, which would cancel a submit started from inside it.
  const signOut = useRef<HTMLFormElement>(null);
  // A click before hydration would open nothing; wait, as Button does.
  const hydrated = useHydrated();
  return (
    <>
      <form ref={signOut} action="/auth/sign-out" method="post" hidden />
      <DropdownMenu.Root>
        <DropdownMenu.Trigger
          disabled={!hydrated}
          className={
            "flex items-center gap-2 rounded-md px-2 py-1 text-left text-sm hover:bg-muted " +
            "focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
          }
          data-testid="user-menu"
        >
          {/* The visible name and role are the button's name (a label that hid them failed axe's label-in-name check). */}
          <span className="sr-only">Account: </span>
          <span className="flex min-w-0 max-w-40 flex-col leading-tight [&>span]:truncate">
            <span className="font-medium" data-testid="user-name">
              {name}
            </span>
            <span className="sr-only">, </span>
            <span className="text-xs text-muted-foreground" data-testid="user-role">
              {role}
            </span>
          </span>
          <ChevronDown className="h-4 w-4" aria-hidden />
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <DropdownMenu.Content align="end" sideOffset={6} className="z-50 min-w-56 rounded-md border border-border bg-card p-1 text-sm shadow-lg">
            <div className="px-2 py-1.5 text-muted-foreground">{email}</div>
            <DropdownMenu.Separator className="my-1 h-px bg-border" />
            <DropdownMenu.Item
              onSelect={() => signOut.current?.requestSubmit()}
              className="flex w-full cursor-pointer items-center gap-2 rounded px-2 py-1.5 outline-none hover:bg-muted focus:bg-muted"
            >
              <LogOut className="h-4 w-4" aria-hidden /> Sign out
            </DropdownMenu.Item>
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
    </>
  );
}
