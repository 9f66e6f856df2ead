import Link from "next/link";

export default function Forbidden() {
  return (
    <main className="flex min-h-[70vh] items-center justify-center px-4">
      <div role="alert" className="max-w-lg space-y-4 rounded-lg border border-border bg-card p-8">
        <p className="text-sm font-semibold text-muted-foreground">403 · Not allowed</p>
        <h1 className="text-2xl font-bold">You do not have access to this page</h1>
        <p>This page is for platform admins. If you need it, ask your platform team for the Wharf.Admin role, then sign in again.</p>
        <Link href="/" className="font-medium text-primary underline underline-offset-2">
          Back to Wharf
        </Link>
      </div>
    </main>
  );
}
