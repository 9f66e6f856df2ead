"use client";
// A card whose table scrolls sideways on a narrow screen. While it does, the card is a named, focusable region, so a
// keyboard can scroll it (axe's scrollable-region-focusable: a table with no link or button inside cannot otherwise
// be reached); when everything fits it is a plain card and adds no tab stop.
import { useEffect, useRef, useState, type ComponentProps } from "react";
import { Card } from "@/components/ui/card";
import { cn } from "@/lib/cn";

export function ScrollCard({ label, className, ...props }: ComponentProps<typeof Card> & { label: string }) {
  const ref = useRef<HTMLElement>(null);
  const [scrolls, setScrolls] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => setScrolls(element.scrollWidth > element.clientWidth);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    // The table inside may widen without the card resizing (rows that arrive later).
    for (const child of element.children) observer.observe(child);
    return () => observer.disconnect();
  }, []);
  return (
    <Card
      ref={ref}
      className={cn("relative overflow-x-auto p-0", scrolls && "focus-visible:outline-2 focus-visible:outline-ring", className)}
      {...(scrolls ? { tabIndex: 0, "aria-label": `${label} (scrolls sideways)` } : {})}
      {...props}
    />
  );
}
