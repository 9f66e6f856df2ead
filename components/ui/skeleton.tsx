import type { ComponentProps } from "react";
import { cn } from "@/lib/cn";

/** A grey block where content is coming, in the size of that content (shadcn/ui's Skeleton). */
export function Skeleton({ className, ...props }: ComponentProps<"div">) {
  return <div aria-hidden className={cn("animate-pulse rounded-md bg-muted", className)} {...props} />;
}

/** Rows of a table that is loading, under its real header. */
export function TableSkeleton({ columns, rows = 8, label }: { columns: string[]; rows?: number; label: string }) {
  return (
    <table className="w-full text-sm" aria-busy="true">
      <caption className="sr-only">{label}</caption>
      <thead className="bg-muted text-left">
        <tr>
          {columns.map((column) => (
            <th key={column} scope="col" className="px-4 py-2 font-medium">
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {Array.from({ length: rows }, (_, row) => (
          <tr key={row} className="border-t border-border">
            {columns.map((column) => (
              <td key={column} className="px-4 py-3">
                <Skeleton className="h-4 w-3/4" />
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
