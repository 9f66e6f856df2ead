// Readiness: the database answers and every migration is applied. It never
// depends on Azure or a cluster, so one of those failing cannot take Wharf out
// of its load balancer.
import { getConfig } from "@/lib/config";
import { getPrisma } from "@/lib/db/client";
import { migrationStatus } from "@/lib/db/migrate";

export const dynamic = "force-dynamic";

/** A line that says what failed: a refused connection is an AggregateError with an empty message and a code. */
function describe(error: unknown, fallback: string): string {
  if (!(error instanceof Error)) return fallback;
  const line = error.message.split("\n")[0]?.trim();
  if (line) return line;
  const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
  return code ? `${fallback} (${code})` : fallback;
}

export async function GET() {
  const checks: Record<string, { ok: boolean; detail?: string }> = {};
  try {
    await getPrisma().$queryRaw`SELECT 1`;
    checks.database = { ok: true };
  } catch (error) {
    checks.database = { ok: false, detail: describe(error, "the database does not answer") };
  }
  if (checks.database.ok) {
    try {
      const status = await migrationStatus(getConfig().databaseUrl ?? process.env.DATABASE_URL ?? "");
      checks.migrations = status.pending.length === 0 ? { ok: true } : { ok: false, detail: `pending: ${status.pending.join(", ")}` };
    } catch (error) {
      checks.migrations = { ok: false, detail: describe(error, "could not read the applied migrations") };
    }
  }
  const ready = Object.values(checks).every((check) => check.ok) && checks.migrations !== undefined;
  return Response.json({ status: ready ? "ready" : "not ready", checks }, { status: ready ? 200 : 503 });
}
