// A cluster's bill per day from Cost Management rows: its managedClusters
// resource plus everything in its node resource group. Cost Management
// lowercases ResourceId and ResourceGroupName while ARM does not, so both
// are compared case-insensitively. Amounts become integer minor units here,
// once, so all later sums are exact.

export interface BilledRow {
  /** YYYY-MM-DD */
  day: string;
  resourceId: string;
  resourceGroup: string;
  /** In the billing currency's major units, as Cost Management answers. */
  amount: number;
}

export interface ClusterIdentity {
  resourceId: string;
  nodeResourceGroup: string;
}

/** Digits after the decimal point of a currency (EUR 2, JPY 0), from the platform's ICU data. */
export function minorUnitDigits(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

export function toMinorUnits(amount: number, currency: string): number {
  return Math.round(amount * 10 ** minorUnitDigits(currency));
}

export function belongsToCluster(row: Pick<BilledRow, "resourceId" | "resourceGroup">, cluster: ClusterIdentity): boolean {
  return row.resourceId.toLowerCase() === cluster.resourceId.toLowerCase() || row.resourceGroup.toLowerCase() === cluster.nodeResourceGroup.toLowerCase();
}

/** Minor units per day for one cluster; rows of other resources are ignored. */
export function clusterBillByDay(rows: readonly BilledRow[], cluster: ClusterIdentity, currency: string): Map<string, number> {
  const byDay = new Map<string, number>();
  for (const row of rows) {
    if (!belongsToCluster(row, cluster)) continue;
    byDay.set(row.day, (byDay.get(row.day) ?? 0) + toMinorUnits(row.amount, currency));
  }
  return byDay;
}
