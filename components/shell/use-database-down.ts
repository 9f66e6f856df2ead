"use client";
// Whether Wharf's database is what failed, for an error boundary to say so: a
// page's server error reaches the browser without its message (Next keeps it
// in the logs), so the boundary asks the readiness probe, which checks
// PostgreSQL and nothing else that can fail (app/api/readyz). The web server
// has already answered such a page 503 with Retry-After (decision 0062).
import { useEffect, useState } from "react";

export function useDatabaseDown(): boolean {
  const [down, setDown] = useState(false);
  useEffect(() => {
    let current = true;
    fetch("/api/readyz", { cache: "no-store" })
      .then((response) => response.json() as Promise<{ checks?: { database?: { ok?: boolean } } }>)
      .then((body) => current && setDown(body.checks?.database?.ok === false))
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, []);
  return down;
}
