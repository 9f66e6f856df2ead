import Link from "next/link";
import { headers } from "next/headers";
import { getConfig } from "@/lib/config";
import { pageRefusal } from "@/lib/auth/page-refusal";
import { platformAdminsPage } from "@/lib/auth/permissions";

// Next renders this with every page (the fallback is made before the page decides), so it reads only the request's
// address and the configuration: no query. Which page was refused decides the words (lib/auth/page-refusal.ts).
export default async function Forbidden() {
  const refusal = pageRefusal((await headers()).get("x-wharf-path") ?? "/");
  const { adminAppRole, adminGroupId } = getConfig().identity;
  return (
    <main className="flex min-h-[70vh] items-center justify-center px-4">
      <div role="alert" className="max-w-lg space-y-4 rounded-lg border border-border bg-card p-8">
        <p className="text-sm font-semibold text-muted-foreground">403 · Not allowed</p>
        <h1 className="text-2xl font-bold">You do not have access to this page</h1>
        <p data-testid="refusal">{refusal.message}</p>
        {refusal.adminsOnly && (
          <p className="text-sm text-muted-foreground">
            If you should be a platform admin yourself, ask for the <code>{adminAppRole}</code> app role in Entra ID
            {adminGroupId ? " (or membership of the admin group)" : ""}, then sign in again.
          </p>
        )}
        <p className="flex flex-wrap gap-x-4 gap-y-2">
          <Link href={platformAdminsPage} className="font-medium text-primary underline underline-offset-2">
            See the platform admins
          </Link>
          <Link href="/" className="font-medium text-primary underline underline-offset-2">
            Back to Wharf
          </Link>
        </p>
      </div>
    </main>
  );
}
