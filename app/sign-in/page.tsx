import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Anchor } from "lucide-react";
import { Button } from "@/components/ui/button";
import { currentActor } from "@/lib/auth/current-actor";
import { safeReturnTo } from "@/lib/auth/return-to";
import { getConfig } from "@/lib/config";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ returnTo?: string }> }) {
  const { returnTo } = await searchParams;
  const config = getConfig();
  if (await currentActor()) redirect(safeReturnTo(returnTo, config.publicUrl));
  const sandbox = config.mode === "sandbox";
  return (
    <main className="flex min-h-[80vh] items-center justify-center px-4">
      <div className="w-full max-w-md space-y-6 rounded-lg border border-border bg-card p-8 text-center shadow-sm">
        <Anchor className="mx-auto h-10 w-10" aria-hidden />
        <h1 className="text-2xl font-bold">Sign in to Wharf</h1>
        <p className="text-muted-foreground">
          {sandbox
            ? "This Wharf runs against the sandbox: you will pick a demo persona instead of entering a password."
            : "Use your organisation's Microsoft account."}
        </p>
        <Button asChild size="lg" className="w-full">
          <a href={`/auth/sign-in?returnTo=${encodeURIComponent(safeReturnTo(returnTo, config.publicUrl))}`}>
            {sandbox ? "Sign in with the sandbox identity provider" : "Sign in with Microsoft"}
          </a>
        </Button>
      </div>
    </main>
  );
}
