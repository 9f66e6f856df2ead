"use client";
import { Button } from "@/components/ui/button";
import { useDatabaseDown } from "@/components/shell/use-database-down";
import { useRetry } from "@/components/shell/use-retry";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const retry = useRetry(reset);
  const databaseDown = useDatabaseDown();
  return (
    <main className="flex min-h-[70vh] items-center justify-center px-4">
      <div role="alert" className="max-w-lg space-y-4 rounded-lg border border-border bg-card p-8">
        <h1 className="text-2xl font-bold">This page could not be loaded</h1>
        {databaseDown ? (
          <p>Wharf&apos;s database is not answering. It is usually back within seconds; try again in a moment.</p>
        ) : (
          <p>Wharf hit an error while loading it. It may be a database or identity provider that is briefly unavailable.</p>
        )}
        {error.digest && <p className="font-mono text-sm text-muted-foreground">Reference: {error.digest}</p>}
        <Button onClick={retry}>Try again</Button>
      </div>
    </main>
  );
}
