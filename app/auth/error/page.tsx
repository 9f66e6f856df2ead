import type { Metadata } from "next";
import Link from "next/link";
import { signInFailureText, type SignInFailure } from "@/lib/auth/sign-in";

export const metadata: Metadata = { title: "Sign-in failed" };

const isFailure = (reason: string | undefined): reason is SignInFailure => reason !== undefined && Object.hasOwn(signInFailureText, reason);

/**
 * Shows only what Wharf wrote for each failure, chosen by its code: anyone can
 * send a link to this page, so nothing from the address is shown as text
 * (a `detail` parameter once let a link make Wharf say "re-enter your password at …").
 * What the identity provider said is in Wharf's log, with the code.
 */
export default async function SignInErrorPage({ searchParams }: { searchParams: Promise<{ reason?: string }> }) {
  const { reason } = await searchParams;
  const failure = isFailure(reason) ? reason : "idp_error";
  const text = signInFailureText[failure];
  return (
    <main className="flex min-h-[80vh] items-center justify-center px-4">
      <div role="alert" className="max-w-lg space-y-4 rounded-lg border border-border bg-card p-8">
        <h1 className="text-2xl font-bold">{text.title}</h1>
        <p>{text.advice}</p>
        <p className="text-sm text-muted-foreground">
          Code for your platform team: <code className="font-mono">{failure}</code>
        </p>
        <Link href="/sign-in" className="inline-block font-medium text-primary underline underline-offset-2">
          Try signing in again
        </Link>
      </div>
    </main>
  );
}
