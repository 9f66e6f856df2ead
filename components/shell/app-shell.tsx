import Link from "next/link";
import type { ReactNode } from "react";
import { Anchor } from "lucide-react";
import { Nav, type NavItem } from "@/components/shell/nav";
import { ThemeToggle } from "@/components/shell/theme-toggle";
import { UserMenu } from "@/components/shell/user-menu";
import { NotificationsMenu } from "@/components/shell/notifications";
import { QueryProvider } from "@/components/shell/query-provider";
import { actsForAnyTeam, can, roleLabel, type UserActor } from "@/lib/auth/permissions";

/** Sections appear here as they are built; none is shown before it exists. */
function navItems(actor: UserActor, approvalsCount: number | null): NavItem[] {
  const items: NavItem[] = [
    { href: "/", label: "Home" },
    { href: "/catalog", label: "Catalog" },
    { href: "/health", label: "Health" },
    { href: "/map", label: "Map" },
    ...(actor.isAdmin || actor.teams.some((team) => can(actor, "cost:read", { teamId: team.id })) ? [{ href: "/costs", label: "Cost" }] : []),
    { href: "/teams", label: "Teams" },
    { href: "/namespaces", label: "Namespaces" },
    { href: "/deployments", label: "Deployments" },
    // Team members approve their teams' production deployments, admins also namespace requests; a viewer has no inbox.
    ...(actsForAnyTeam(actor) ? [{ href: "/approvals", label: "Approvals", approvalsCount }] : []),
    { href: "/clusters", label: "Clusters" },
    { href: "/boards", label: "Boards" },
  ];
  items.push({ href: "/api-docs", label: "API" });
  if (can(actor, "audit:read")) items.push({ href: "/admin", label: "Admin" });
  return items;
}

/** `approvalsCount`: what waits in the person's approvals inbox (null when it could not be counted; the badge fetches it). */
export function AppShell({ actor, approvalsCount = null, children }: { actor: UserActor; approvalsCount?: number | null; children: ReactNode }) {
  return (
    <QueryProvider>
      <div className="min-h-screen">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-card focus:p-2">
          Skip to content
        </a>
        <header className="border-b border-border bg-card">
          {/* The navigation has its own row under the logo and the menus, and scrolls sideways when it does not fit: with thirteen
              sections it is wider than the content column, and beside the logo it made a 1,280 px screen scroll sideways. */}
          <div className="mx-auto flex min-h-14 max-w-6xl flex-wrap items-center gap-x-6 gap-y-1 px-4 py-2">
            <Link href="/" className="flex items-center gap-2 text-lg font-bold">
              <Anchor className="h-5 w-5" aria-hidden /> Wharf
            </Link>
            <div className="order-last w-full overflow-x-auto">
              <Nav items={navItems(actor, approvalsCount)} />
            </div>
            <div className="ml-auto flex min-w-0 items-center gap-2">
              <NotificationsMenu />
              <ThemeToggle />
              <UserMenu name={actor.name} email={actor.email} role={roleLabel(actor)} />
            </div>
          </div>
        </header>
        <main id="main" className="mx-auto max-w-6xl px-4 py-8">
          {children}
        </main>
      </div>
    </QueryProvider>
  );
}
