import { cva, type VariantProps } from "class-variance-authority";
import type { ComponentProps } from "react";
import { cn } from "@/lib/cn";

/**
 * shadcn/ui's Badge variants on Wharf's theme tokens, plus the statuses' `success`, `warning` and `info`. Status
 * badges are tinted (`X-muted`), not solid, so a table of them stays calm; each says its status in words too.
 */
export const badgeVariants = cva("inline-flex items-center gap-1 rounded-full border px-2.5 py-0.5 text-xs font-semibold", {
  variants: {
    variant: {
      default: "border-transparent bg-primary text-primary-foreground",
      secondary: "border-border bg-muted text-foreground",
      destructive: "border-destructive/40 bg-destructive-muted text-destructive-muted-foreground",
      outline: "border-border text-foreground",
      success: "border-success/40 bg-success-muted text-success-muted-foreground",
      warning: "border-warning/60 bg-warning-muted text-warning-muted-foreground",
      info: "border-info/40 bg-info-muted text-info-muted-foreground",
    },
  },
  defaultVariants: { variant: "default" },
});

export type BadgeVariant = NonNullable<VariantProps<typeof badgeVariants>["variant"]>;

export function Badge({ className, variant, ...props }: ComponentProps<"span"> & VariantProps<typeof badgeVariants>) {
  return <span data-slot="badge" className={cn(badgeVariants({ variant }), className)} {...props} />;
}
