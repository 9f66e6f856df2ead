"use client";
// A signed-in page that failed to load: the error in place of its content,
// with the navigation still there, so the rest of Wharf keeps working.
import { Button } from "@/components/ui/button";
import { useDatabaseDown } from "@/components/shell/use-database-down";
import { useRetry } from "@/components/shell/use-retry";

export default function SignedInError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const retry = useRetry(reset);
  const databaseDown = useDatabaseDown();
  return (
    <div role="alert" className="max-w-2xl space-y-4 rounded-lg border border-destructive bg-card p-6">
      <h1 className="text-2xl font-bold">This page could not be loaded</h1>
      {databaseDown ? (
        <p>Wharf&apos;s database is not answering. It is usually back within seconds; try again in a moment. The menu above stays where it is.</p>
      ) : (
        <p>
          Wharf hit an error while loading it: the database or a cluster it reads may be briefly unavailable. Try again in a moment; the menu above stays where
          it is.
        </p>
      )}
      {error.digest && <p className="font-mono text-sm text-muted-foreground">Reference for the logs: {error.digest}</p>}
      <Button onClick={retry}>Try again</Button>
    </div>
  );
}
