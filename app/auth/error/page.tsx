import type { Metadata } from "next";
import Link from "next/link";
import { signInFailureText, type SignInFailure } from "@/lib/auth/sign-in";

export const metadata: Metadata = { title: "Sign-in failed" };

export default async function SignInErrorPage({ searchParams }: { searchParams: Promise<{ reason?: string; detail?: string }> }) {
  const { reason, detail } = await searchParams;
  const text = signInFailureText[(reason ?? "") as SignInFailure] ?? signInFailureText.idp_error;
  return (
    <main className="flex min-h-[80vh] items-center justify-center px-4">
      <div role="alert" className="max-w-lg space-y-4 rounded-lg border border-border bg-card p-8">
        <h1 className="text-2xl font-bold">{text.title}</h1>
        <p>{text.advice}</p>
        {detail && <p className="rounded bg-muted p-3 font-mono text-sm text-muted-foreground">{detail.slice(0, 300)}</p>}
        <Link href="/sign-in" className="inline-block font-medium text-primary hover:underline">
          Try signing in again
        </Link>
      </div>
    </main>
  );
}
