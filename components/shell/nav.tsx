"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/cn";
import { ApprovalsBadge } from "@/components/shell/approvals-badge";

export interface NavItem {
  href: string;
  label: string;
  /** The approvals inbox shows how many items wait, starting from the server's count. */
  approvalsCount?: number | null;
}

export function Nav({ items }: { items: NavItem[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex items-center gap-1">
      {items.map((item) => {
        const active = item.href === "/" ? pathname === "/" : pathname.startsWith(item.href);
        return (
          <Link
            key={item.href}
            href={item.href}
            aria-current={active ? "page" : undefined}
            className={cn(
              "shrink-0 whitespace-nowrap rounded-md px-3 py-2 text-sm font-medium hover:bg-muted " +
                "focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring",
              active ? "bg-muted text-foreground" : "text-muted-foreground",
            )}
          >
            {item.label}
            {item.approvalsCount !== undefined && <ApprovalsBadge initial={item.approvalsCount} />}
          </Link>
        );
      })}
    </nav>
  );
}
