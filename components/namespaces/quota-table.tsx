import { parseQuantity } from "@/lib/kubernetes/quantity";
import { quotaHard } from "@/lib/namespaces/render-namespace";
import type { Quota } from "@/lib/namespaces/namespace-input";
import type { QuotaUsage } from "@/lib/namespaces/namespace-view";
import { DataTable, Row, Cell } from "@/components/ui/table";

/** Approved quota against what the cluster reports as used at the last reconcile. */
export function QuotaTable({ quota, usage }: { quota: Quota; usage: QuotaUsage | null }) {
  const hard = quotaHard(quota);
  return (
    <DataTable caption="Quota and usage" columns={["Resource", "Approved", "Used", ""]}>
      {Object.entries(hard).map(([resource, approved]) => {
        const used = usage?.used[resource];
        const share = used !== undefined ? (parseQuantity(used) ?? 0) / Math.max(parseQuantity(approved) ?? 0, Number.EPSILON) : null;
        const percent = share === null ? null : Math.min(100, Math.round(share * 100));
        return (
          <Row key={resource}>
            <Cell className="font-mono">{resource}</Cell>
            <Cell className="font-mono">{approved}</Cell>
            <Cell className="font-mono">{used ?? "—"}</Cell>
            <Cell className="w-40">
              {percent !== null && (
                <div className="flex items-center gap-2">
                  <div
                    className="h-2 w-24 rounded bg-muted"
                    role="meter"
                    aria-valuenow={percent}
                    aria-valuemin={0}
                    aria-valuemax={100}
                    aria-label={`${resource} used`}
                  >
                    <div
                      className={`h-2 rounded ${percent >= 90 ? "bg-destructive" : percent >= 70 ? "bg-warning" : "bg-success"}`}
                      style={{ width: `${percent}%` }}
                    />
                  </div>
                  <span className="text-xs">{percent}%</span>
                </div>
              )}
            </Cell>
          </Row>
        );
      })}
    </DataTable>
  );
}
