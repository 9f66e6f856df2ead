// Statuses the database knows: each text column whose values the code names is
// limited by a CHECK constraint to exactly the code's list. Add a status on one
// side only and this fails, naming the column.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "@/lib/db/migrate";
import { createScratchDatabase, type ScratchDatabase } from "@/lib/db/testing/scratch-database";
import { oneOf } from "@/lib/db/one-of";
import { auditOutcomes } from "@/lib/audit/record-audit-event";
import { externalKinds } from "@/lib/catalog/service-input";
import { deploymentKinds, deploymentStatuses } from "@/lib/deployments/deployment-settings";
import { tagCheckOutcomes } from "@/lib/deployments/version-text";
import { healthStates } from "@/lib/health/types";
import { namespaceStatuses, requestKinds, requestStatuses } from "@/lib/namespaces/namespace-view";
import { costForecastStatuses } from "@/lib/costs/store-cost-forecast";
import { sharingRules } from "@/lib/costs/allocation-rule";
import { environments } from "@/lib/clusters/cluster-view";

const columns: [table: string, column: string, values: readonly string[]][] = [
  ["Namespace", "status", namespaceStatuses],
  ["NamespaceRequest", "kind", requestKinds],
  ["NamespaceRequest", "status", requestStatuses],
  ["Deployment", "kind", deploymentKinds],
  ["Deployment", "status", deploymentStatuses],
  ["Deployment", "tagCheck", tagCheckOutcomes],
  ["AuditEvent", "outcome", auditOutcomes],
  ["ServiceDependency", "kind", ["service", ...externalKinds]],
  ["ServiceHealth", "state", healthStates],
  ["HealthSample", "state", healthStates],
  ["HealthTransition", "toState", healthStates],
  ["CostForecast", "status", costForecastStatuses],
  ["CostAllocationSetting", "idle", sharingRules],
  ["CostAllocationSetting", "system", sharingRules],
  ["Cluster", "environment", environments],
];

let scratch: ScratchDatabase;
let client: pg.Client;

beforeAll(async () => {
  scratch = await createScratchDatabase();
  await applyMigrations(scratch.url);
  client = new pg.Client({ connectionString: scratch.url });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await scratch?.drop();
});

/** The literals of each CHECK constraint on `table` that lists `column`'s values, as PostgreSQL prints them back. */
async function allowedValues(table: string, column: string): Promise<string[][]> {
  // PostgreSQL prints an IN list as (column = ANY (ARRAY['a'::text, ...])), quoting mixed-case names ("toState").
  const ownList = new RegExp(`[(\\s]"?${column}"? = ANY \\(ARRAY\\[(.*?)\\]`);
  return (await definitions(table)).flatMap((definition) => {
    const list = ownList.exec(definition)?.[1];
    return list === undefined ? [] : [[...list.matchAll(/'([^']*)'/g)].map((match) => match[1] as string)];
  });
}

describe("every status column is limited to the code's values", () => {
  it.each(columns)("%s.%s", async (table, column, values) => {
    const lists = await allowedValues(table, column);
    expect(lists, `no CHECK constraint on ${table}.${column}: ${JSON.stringify(await definitions(table))}`).toHaveLength(1);
    expect([...(lists[0] ?? [])].sort()).toEqual([...values].sort());
  });

  it("refuses a value the code does not name", async () => {
    await expect(client.query(`INSERT INTO "AuditEvent" ("actorName", "action", "resourceType", "outcome") VALUES ('t', 't', 't', 'maybe')`)).rejects.toThrow(
      /AuditEvent_outcome_check/,
    );
  });
});

describe("oneOf", () => {
  it("narrows a known value and names the column holding an unknown one", () => {
    expect(oneOf(auditOutcomes, "denied", "AuditEvent.outcome")).toBe("denied");
    expect(() => oneOf(auditOutcomes, "maybe", "AuditEvent.outcome")).toThrow('AuditEvent.outcome holds "maybe", which is not one of success, denied, failure');
  });
});

async function definitions(table: string): Promise<string[]> {
  const { rows } = await client.query<{ definition: string }>(
    `SELECT pg_get_constraintdef(c.oid) AS definition FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid WHERE c.contype = 'c' AND t.relname = $1`,
    [table],
  );
  return rows.map((row) => row.definition);
}
