import type { ComponentProps } from "react";
import { cn } from "@/lib/cn";
import { Cell, DataTable, Row } from "@/components/ui/table";

/** A grey block where content is coming, in the size of that content (shadcn/ui's Skeleton). */
export function Skeleton({ className, ...props }: ComponentProps<"div">) {
  return <div aria-hidden className={cn("animate-pulse rounded-md bg-muted", className)} {...props} />;
}

/** Rows of a table that is loading, under its real header. */
export function TableSkeleton({ columns, rows = 8, label }: { columns: string[]; rows?: number; label: string }) {
  return (
    <DataTable caption={label} columns={columns}>
      {Array.from({ length: rows }, (_, row) => (
        <Row key={row}>
          {columns.map((column) => (
            <Cell key={column} className="py-3">
              <Skeleton className="h-4 w-3/4" />
            </Cell>
          ))}
        </Row>
      ))}
    </DataTable>
  );
}

/** A list page while it loads: its real title, a line for the description, optionally the filters, and the table's header with grey rows. */
export function ListPageSkeleton({ title, columns, filters = false }: { title: string; columns: string[]; filters?: boolean }) {
  return (
    <div className="space-y-6" role="status" aria-label={`Loading ${title.toLowerCase()}`}>
      <div className="space-y-2">
        <h1 className="text-3xl font-bold">{title}</h1>
        <Skeleton className="h-5 w-2/3" />
      </div>
      {filters && <Skeleton className="h-20 w-full rounded-lg" />}
      <div className="overflow-x-auto rounded-lg border border-border bg-card shadow-sm">
        <TableSkeleton columns={columns} label={`${title}, loading`} />
      </div>
    </div>
  );
}
