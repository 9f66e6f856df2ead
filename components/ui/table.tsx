import type { ComponentProps, ReactNode } from "react";
import { cn } from "@/lib/cn";

/** A full-width data table with a caption for screen readers and one header row. */
export function DataTable({ caption, columns, children }: { caption: string; columns: string[]; children: ReactNode }) {
  return (
    <table className="w-full text-sm">
      <caption className="sr-only">{caption}</caption>
      <thead className="bg-muted text-left">
        <tr>
          {columns.map((column) => (
            <th key={column} scope="col" className="px-4 py-2 font-medium">
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

export function Row({ className, ...props }: ComponentProps<"tr">) {
  return <tr className={cn("border-t border-border align-top", className)} {...props} />;
}

export function Cell({ className, ...props }: ComponentProps<"td">) {
  return <td className={cn("px-4 py-2", className)} {...props} />;
}
