// Readiness: the database answers and every migration is applied. It never
// depends on Azure or a cluster, so one of those failing cannot take Wharf out
// of its load balancer.
import { getConfig } from "@/lib/config";
import { getPrisma } from "@/lib/db/client";
import { migrationStatus } from "@/lib/db/migrate";

export const dynamic = "force-dynamic";

export async function GET() {
  const checks: Record<string, { ok: boolean; detail?: string }> = {};
  try {
    await getPrisma().$queryRaw`SELECT 1`;
    checks.database = { ok: true };
  } catch (error) {
    checks.database = { ok: false, detail: error instanceof Error ? error.message.split("\n")[0] : "unreachable" };
  }
  if (checks.database.ok) {
    try {
      const status = await migrationStatus(getConfig().databaseUrl ?? process.env.DATABASE_URL ?? "");
      checks.migrations = status.pending.length === 0 ? { ok: true } : { ok: false, detail: `pending: ${status.pending.join(", ")}` };
    } catch (error) {
      checks.migrations = { ok: false, detail: error instanceof Error ? error.message.split("\n")[0] : "unknown" };
    }
  }
  const ready = Object.values(checks).every((check) => check.ok) && checks.migrations !== undefined;
  return Response.json({ status: ready ? "ready" : "not ready", checks }, { status: ready ? 200 : 503 });
}
