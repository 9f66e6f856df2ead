// The rule an admin chooses for the cost nobody's requests explain (issue 14
// item 3, decision 0058): idle capacity (what the nodes could give and no
// namespace requested) and system namespaces (kube-system and AKS's own) are
// each shared out by requests ("proportional"), shared evenly among workload
// namespaces ("even"), or shown as lines of their own ("apart"). Stored in
// `CostAllocationSetting` (one row, absent = apart and apart) and read by
// every allocation in the transaction that stores it.
import { z } from "zod";
import type { Prisma } from "@/lib/db/generated/client";
import { oneOf } from "@/lib/db/one-of";
import type { AllocationRule, SharingRule } from "./allocate";

type Db = Pick<Prisma.TransactionClient, "$queryRaw">;

export const sharingRules = ["proportional", "even", "apart"] as const satisfies readonly SharingRule[];

/** Until an admin chooses: both apart, as Wharf allocated before the rule could be chosen. */
export const defaultAllocationRule = { idle: "apart", system: "apart" } as const satisfies AllocationRule;

/** What each choice does, in the words the page and the API document use. */
export const sharingRuleMeanings: Record<SharingRule, string> = {
  proportional: "shared among the workload namespaces in proportion to the CPU and memory each requested",
  even: "shared evenly among the workload namespaces that requested anything that day",
  apart: "shown as a line of its own, which no team takes",
};

const ruleField = (field: "idle" | "system") =>
  z
    .enum(sharingRules, { error: `${field} must be one of ${sharingRules.join(", ")}.` })
    .describe(
      `How ${field === "idle" ? "idle capacity (node capacity nobody requested)" : "system namespaces' cost (kube-system and AKS's own)"} is allocated: ` +
        sharingRules.map((rule) => `${rule}: ${sharingRuleMeanings[rule]}`).join("; ") +
        ".",
    );

/** The body of PUT /api/v1/costs/allocation-rule: both parts of the rule. */
export const allocationRuleInput = z.strictObject(
  { idle: ruleField("idle"), system: ruleField("system") },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `Unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}: the rule has only idle and system.`
        : "The body is an object with idle and system, each one of proportional, even, apart.",
  },
);

export type AllocationRuleInput = z.input<typeof allocationRuleInput>;

export const allocationRuleView = z.object({
  idle: z.enum(sharingRules),
  system: z.enum(sharingRules),
  isDefault: z.boolean().describe("No admin has chosen a rule yet: both apart."),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable().describe("The name of the admin who last changed it."),
  pendingMonths: z
    .array(z.string())
    .describe("Months (yyyy-mm) marked for re-allocation: their stored figures change within a minute or so (the cost.sample job)."),
});

export type AllocationRuleView = z.infer<typeof allocationRuleView>;

export interface StoredAllocationRule {
  rule: { idle: SharingRule; system: SharingRule };
  updatedAt: Date | null;
  updatedBy: string | null;
}

/** The rule in force, as `db` sees it (in a refresh: after its lock, so a rule committed before is the one used). */
export async function readAllocationRule(db: Db): Promise<StoredAllocationRule> {
  const [row] = await db.$queryRaw<{ idle: string; system: string; updatedAt: Date; updatedByName: string }[]>`
    SELECT "idle", "system", "updatedAt", "updatedByName" FROM "CostAllocationSetting" WHERE "id" = 1`;
  if (!row) return { rule: { ...defaultAllocationRule }, updatedAt: null, updatedBy: null };
  return {
    rule: { idle: oneOf(sharingRules, row.idle, "CostAllocationSetting.idle"), system: oneOf(sharingRules, row.system, "CostAllocationSetting.system") },
    updatedAt: row.updatedAt,
    updatedBy: row.updatedByName,
  };
}

/** Months (yyyy-mm) waiting for the stale refresh (decision 0042). */
export async function readPendingMonths(db: Db): Promise<string[]> {
  const rows = await db.$queryRaw<{ month: string }[]>`SELECT to_char("month", 'YYYY-MM') AS "month" FROM "CostAllocationStale" ORDER BY "month"`;
  return rows.map((row) => row.month);
}

export async function allocationRuleViewOf(db: Db): Promise<AllocationRuleView> {
  const [stored, pendingMonths] = await Promise.all([readAllocationRule(db), readPendingMonths(db)]);
  return {
    ...stored.rule,
    isDefault: stored.updatedAt === null,
    updatedAt: stored.updatedAt?.toISOString() ?? null,
    updatedBy: stored.updatedBy,
    pendingMonths,
  };
}
