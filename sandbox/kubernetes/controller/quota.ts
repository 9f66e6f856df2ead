// The quota controller: keeps every ResourceQuota's `status.hard` and
// `status.used` current as objects come and go. What an object charges, and
// the admission check that refuses what does not fit, live in
// `../admission/resource-quota.ts`, shared with the API server.
import { hardOf, namespaceUsage } from "../admission";
import { canonical, formatMilli, formatOf } from "../quantities";
import type { ControllerContext } from "./context";
import { resourceQuotas } from "./types";
import { managers, updateObject } from "./writes";

export function syncQuotas(ctx: ControllerContext, namespace: string): void {
  const quotas = ctx.store.list(resourceQuotas, namespace);
  if (quotas.length === 0) return;
  const used = namespaceUsage(
    ctx.store,
    namespace,
    quotas.flatMap((quota) => Object.keys(hardOf(quota))),
  );
  for (const quota of quotas) {
    const hard = hardOf(quota);
    const status = {
      hard: Object.fromEntries(Object.entries(hard).map(([resource, value]) => [resource, canonical(value) ?? String(value)])),
      used: Object.fromEntries(Object.keys(hard).map((resource) => [resource, formatMilli(used.get(resource) ?? 0, formatOf(hard[resource]))])),
    };
    updateObject(ctx, resourceQuotas, quota, { ...quota, status }, managers.controllerManager, "status");
  }
}
