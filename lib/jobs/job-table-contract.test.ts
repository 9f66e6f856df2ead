// Wharf reads and writes pg-boss's job table directly where pg-boss has no
// call for it (job-table.ts, list-jobs.ts, retry-job.ts; decision 0013). This
// pins the columns, types and states those statements rely on, against the
// table the installed pg-boss creates, so an upgrade that renames or retypes
// one fails here, naming the column, rather than in a job at run time.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import { startBoss, stopBoss } from "@/lib/jobs/boss";
import { dropSchema, fastTiming, testSchema } from "@/lib/jobs/testing/job-test-support";

const schema = testSchema();

/** Every column Wharf's own SQL names, with the type it assumes. */
const columnsWharfUses: Record<string, string> = {
  id: "uuid",
  name: "text",
  state: "job_state",
  data: "jsonb",
  output: "jsonb",
  retry_count: "int4",
  retry_delay: "int4",
  retry_backoff: "bool",
  singleton_key: "text",
  created_on: "timestamptz",
  started_on: "timestamptz",
  completed_on: "timestamptz",
  start_after: "timestamptz",
};

/** States Wharf's SQL compares with or filters on. */
const statesWharfUses = ["created", "retry", "active", "completed", "cancelled", "failed"];

beforeAll(async () => {
  await startBoss({ schema, timing: fastTiming });
});

afterAll(async () => {
  await stopBoss();
  await dropSchema(schema);
});

describe("pg-boss's job table", () => {
  it("has every column Wharf's SQL names, with the type it assumes", async () => {
    const rows = await getPrisma().$queryRawUnsafe<{ column_name: string; udt_name: string }[]>(
      "SELECT column_name, udt_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'job'",
      schema,
    );
    const actual = Object.fromEntries(rows.map((row) => [row.column_name, row.udt_name]));
    const wanted = Object.fromEntries(Object.entries(columnsWharfUses).map(([column]) => [column, actual[column] ?? "(missing)"]));
    expect(wanted, "pg-boss's job table changed; update lib/jobs/job-table.ts, list-jobs.ts and retry-job.ts").toEqual(columnsWharfUses);
  });

  it("has the states Wharf's SQL compares with", async () => {
    const rows = await getPrisma().$queryRawUnsafe<{ label: string }[]>(
      "SELECT e.enumlabel AS label FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = $1 AND t.typname = 'job_state'",
      schema,
    );
    expect(rows.map((row) => row.label)).toEqual(expect.arrayContaining(statesWharfUses));
  });
});
