import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Signed out" };

export default function SignedOutPage() {
  return (
    <main className="flex min-h-[80vh] items-center justify-center px-4">
      <div className="max-w-md space-y-4 rounded-lg border border-border bg-card p-8 text-center">
        <h1 className="text-2xl font-bold">You are signed out</h1>
        <p className="text-muted-foreground">Your Wharf session has ended on the server.</p>
        <Link href="/sign-in" className="font-medium text-primary underline underline-offset-2">
          Sign in again
        </Link>
      </div>
    </main>
  );
}
