"use client";
// Marks the page as hydrated (`<html data-hydrated>`). Before hydration a
// server-rendered <select defaultValue> is reset by React to its default, so
// a choice made in that moment is lost; end-to-end tests wait for this mark
// before they fill a form (e2e/fixtures.ts `hydrated`).
import { useEffect } from "react";

export function HydrationMark() {
  useEffect(() => {
    document.documentElement.dataset.hydrated = "";
  }, []);
  return null;
}
