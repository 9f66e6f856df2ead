// `npm run migrate`: applies pending migrations and exits; the Kubernetes
// migration Job runs it before a new version serves (decision 0039). With
// --wait it applies nothing and waits until no migration is pending (the
// worker's init container: a worker never runs new code on an old schema;
// the web waits through its readiness probe, /api/readyz). Several at once
// are safe: the runner queues them on Prisma Migrate's advisory lock.
import { applyMigrations, migrationStatus } from "../lib/db/migrate";

const waitOnly = process.argv.includes("--wait");
const waitTimeoutMs = Number(process.env.WHARF_MIGRATION_WAIT_SECONDS ?? 900) * 1000;

function say(message: string) {
  process.stdout.write(`[wharf] ${message}\n`);
}

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL must be set to the PostgreSQL URL Wharf uses (e.g. from Key Vault through the CSI driver).");
  if (!waitOnly) {
    const { applied } = await applyMigrations(databaseUrl);
    say(applied.length ? `applied migrations: ${applied.join(", ")}` : "database schema is up to date");
    return;
  }
  const deadline = Date.now() + waitTimeoutMs;
  for (;;) {
    const { pending } = await migrationStatus(databaseUrl).catch((error: unknown) => {
      say(`cannot read the migration history yet (${error instanceof Error ? error.message.split("\n")[0] : String(error)})`);
      return { pending: ["(unknown)"] };
    });
    if (pending.length === 0) return say("every migration is applied");
    if (Date.now() > deadline)
      throw new Error(
        `migrations still pending after ${waitTimeoutMs / 1000} s: ${pending.join(", ")}; is the migration Job running? (kubectl get job wharf-migrate)`,
      );
    say(`waiting for the migration Job: pending ${pending.join(", ")}`);
    await new Promise((done) => setTimeout(done, 5_000));
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`[wharf] migrations: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
