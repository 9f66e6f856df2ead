"use client";
import { Slot } from "@radix-ui/react-slot";
import { cva, type VariantProps } from "class-variance-authority";
import type { ComponentProps } from "react";
import { cn } from "@/lib/cn";
import { useHydrated } from "./hydrated-fieldset";

/** shadcn/ui's Button variants and sizes, on Wharf's theme tokens (app/globals.css). */
export const buttonVariants = cva(
  "inline-flex items-center justify-center gap-2 rounded-md text-sm font-medium transition-colors focus-visible:outline-none focus-visible:ring-2 " +
    "focus-visible:ring-ring focus-visible:ring-offset-2 focus-visible:ring-offset-background disabled:pointer-events-none disabled:opacity-50",
  {
    variants: {
      variant: {
        default: "bg-primary text-primary-foreground hover:bg-primary/90",
        destructive: "bg-destructive text-destructive-foreground hover:bg-destructive/90",
        outline: "border border-border bg-card hover:bg-muted",
        secondary: "bg-muted text-foreground hover:bg-muted/70",
        ghost: "hover:bg-muted",
        link: "text-primary underline-offset-4 hover:underline",
      },
      size: { sm: "h-8 px-3", default: "h-10 px-4", lg: "h-12 px-6 text-base", icon: "h-10 w-10" },
    },
    defaultVariants: { variant: "default", size: "default" },
  },
);

/**
 * A button whose click is JavaScript (an onClick) stays disabled until React has hydrated it: before
 * that a click does nothing at all, and the person (or a test) would think it was taken. Submit buttons
 * of server-action forms and links (asChild) work without JavaScript and are never held back.
 */
export function Button({
  className,
  variant,
  size,
  asChild = false,
  disabled,
  ...props
}: ComponentProps<"button"> & VariantProps<typeof buttonVariants> & { asChild?: boolean }) {
  const hydrated = useHydrated();
  const Component = asChild ? Slot : "button";
  const waiting = !asChild && props.onClick !== undefined && !hydrated;
  return <Component className={cn(buttonVariants({ variant, size }), className)} disabled={disabled || waiting || undefined} {...props} />;
}
