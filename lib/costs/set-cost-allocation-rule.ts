// An admin chooses how idle capacity and system namespaces' cost are
// allocated (issue 14 item 3, decision 0058). In one transaction: the rule,
// its audit event, and a stale mark on every month with a stored allocation,
// so the `cost.sample` job re-allocates them under the new rule within a
// minute or so (decision 0042). The same rule again changes nothing: no
// audit event, no re-allocation. A refusal is audited.
import { z } from "zod";
import { getPrisma } from "@/lib/db/client";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { parseInput } from "@/lib/validation";
import { allocationRuleInput, allocationRuleView, allocationRuleViewOf, readAllocationRule } from "./allocation-rule";
import { markAllCostAllocationStale } from "./stale-cost-allocation";

export const allocationRuleChange = z.object({
  rule: allocationRuleView,
  changed: z.boolean().describe("false when the rule sent is the one in force: nothing was written or re-allocated."),
  markedMonths: z.array(z.string()).describe("The months (yyyy-mm) this change marked for re-allocation: every month with a stored allocation."),
  message: z.string(),
});

export type AllocationRuleChange = z.infer<typeof allocationRuleChange>;

export async function setCostAllocationRule({ actor, input, now = new Date() }: { actor: Actor; input: unknown; now?: Date }): Promise<AllocationRuleChange> {
  const prisma = getPrisma();
  if (!can(actor, "cost:allocation:edit")) {
    await recordAuditEvent(prisma, { actor, action: "cost.allocation_rule.set", resourceType: "cost-allocation-rule", outcome: "denied" });
    throw forbidden("cost:allocation:edit");
  }
  const rule = parseInput(allocationRuleInput, input);
  return prisma.$transaction(async (tx) => {
    // One change at a time: two admins saving at once are ordered, and each compares with what the other wrote.
    await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext('wharf:cost-allocation-rule'))::text`;
    const before = await readAllocationRule(tx);
    if (before.rule.idle === rule.idle && before.rule.system === rule.system) {
      return { rule: await allocationRuleViewOf(tx), changed: false, markedMonths: [], message: "The rule is unchanged; nothing is re-allocated." };
    }
    await tx.costAllocationSetting.upsert({
      where: { id: 1 },
      create: { id: 1, ...rule, updatedAt: now, updatedByName: actor.name },
      update: { ...rule, updatedAt: now, updatedByName: actor.name },
    });
    const reason = `allocation rule: idle ${rule.idle}, system ${rule.system}`;
    const markedMonths = await markAllCostAllocationStale(tx, reason, now);
    await recordAuditEvent(tx, {
      actor,
      action: "cost.allocation_rule.set",
      resourceType: "cost-allocation-rule",
      outcome: "success",
      before: before.rule,
      after: rule,
      detail: markedMonths.length > 0 ? `Months marked for re-allocation: ${markedMonths.join(", ")}` : "No stored allocation to redo",
    });
    const message =
      markedMonths.length > 0
        ? `Rule saved. The allocations of ${markedMonths.length} month${markedMonths.length > 1 ? "s" : ""} are being recomputed; ` +
          "the figures change within a minute or so."
        : "Rule saved. No cost is stored yet; it applies from the first sync.";
    return { rule: await allocationRuleViewOf(tx), changed: true, markedMonths, message };
  });
}
