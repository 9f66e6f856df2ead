import Link from "next/link";

export default function NotFound() {
  return (
    <main className="flex min-h-[70vh] items-center justify-center px-4">
      <div className="max-w-lg space-y-4 rounded-lg border border-border bg-card p-8">
        <p className="text-sm font-semibold text-muted-foreground">404</p>
        <h1 className="text-2xl font-bold">There is nothing here</h1>
        <p>The page or item does not exist, or it was renamed. Check the address or go back to the start.</p>
        <Link href="/" className="font-medium text-primary underline underline-offset-2">
          Back to Wharf
        </Link>
      </div>
    </main>
  );
}
