"use client";
// Wraps a form whose behaviour is JavaScript (live policy, onSubmit handlers):
// until React has hydrated it, its controls are disabled, so nothing chosen
// or typed in the first moments is silently reset by hydration and no
// submit falls through to a plain GET of the page.
import { useSyncExternalStore, type ReactNode } from "react";
import { cn } from "@/lib/cn";

const noSubscription = () => () => {};

/** False while server-rendered and during hydration, true once the page is interactive. */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}

export function HydratedFieldset({ className, children }: { className?: string; children: ReactNode }) {
  const hydrated = useHydrated();
  return (
    <fieldset disabled={!hydrated} className={cn("min-w-0", className)}>
      {children}
    </fieldset>
  );
}
