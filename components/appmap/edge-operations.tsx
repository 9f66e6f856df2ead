"use client";
// An edge's top failing operations and result codes, loaded when the edge is
// opened (GET /api/v1/map/edges/…/operations asks Log Analytics, shared per
// edge by every viewer). Never blank: it says when it is asking, what failed
// (with a retry), or that the window holds no calls.
import { useQuery } from "@tanstack/react-query";
import { AlertTriangle } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Cell, DataTable, Row } from "@/components/ui/table";
import { RelativeTime } from "@/components/ui/relative-time";
import { callApi } from "@/lib/api/client-fetch";
import type { EdgeOperationsView } from "@/lib/appmap/get-edge-operations";
import type { MapWindow } from "@/lib/appmap/types";

function count(value: number): string {
  return Math.round(value).toLocaleString("en");
}

function percent(value: number | null): string {
  return value === null ? "—" : `${value.toFixed(2)} %`;
}

export function edgeOperationsUrl(edge: { source: string; target: string }, window: MapWindow, environment: string | null): string {
  const query = new URLSearchParams({ window, ...(environment && { environment }) });
  return `/api/v1/map/edges/${encodeURIComponent(edge.source)}/${encodeURIComponent(edge.target)}/operations?${query}`;
}

export function EdgeOperations({ source, target, window, environment }: { source: string; target: string; window: MapWindow; environment: string | null }) {
  const result = useQuery({
    queryKey: ["map-edge-operations", window, environment, source, target],
    queryFn: () => callApi<EdgeOperationsView>(edgeOperationsUrl({ source, target }, window, environment)),
    // Wharf shares each edge's answer for a few minutes and refuses a burst (429): no automatic retries or refetches.
    retry: false,
    staleTime: 60_000,
    refetchOnWindowFocus: false,
  });
  const view = result.data;
  return (
    <section aria-label="Top failing operations" data-testid="edge-operations" className="space-y-2 border-t border-border pt-2">
      <h3 className="font-semibold">Top failing operations</h3>
      {result.isPending && (
        <p role="status" className="text-muted-foreground">
          Asking Log Analytics for this edge&apos;s operations…
        </p>
      )}
      {result.isError && (
        <div role="alert" className="flex flex-wrap items-center gap-3 rounded-md border border-destructive p-3">
          <AlertTriangle className="h-4 w-4 text-destructive" aria-hidden />
          <span>Could not load this edge&apos;s operations: {(result.error as Error).message}</span>
          <Button size="sm" variant="outline" onClick={() => void result.refetch()} disabled={result.isFetching}>
            {result.isFetching ? "Trying…" : "Try again"}
          </Button>
        </div>
      )}
      {view && view.operations.length === 0 && (
        <p>No calls on this edge in the window any more (the map is rebuilt each health cycle; the telemetry may have moved on).</p>
      )}
      {view && view.operations.length > 0 && (
        <>
          <div className="overflow-x-auto">
            <DataTable caption="The edge's operations, most failures first" columns={["Operation", "Calls", "Failed", "Failure %", "p95", "Top failing code"]}>
              {view.operations.map((row) => (
                <Row key={row.operation} data-testid="edge-operation">
                  <Cell className="font-mono text-xs">{row.operation || "(no name)"}</Cell>
                  <Cell>{count(row.calls)}</Cell>
                  <Cell>{count(row.failedCalls)}</Cell>
                  <Cell>{percent(row.failedPct)}</Cell>
                  <Cell>{row.p95Ms === null ? "—" : `${row.p95Ms} ms`}</Cell>
                  <Cell className="font-mono text-xs">{row.topFailingResultCode ?? "—"}</Cell>
                </Row>
              ))}
            </DataTable>
          </div>
          <p data-testid="edge-result-codes">
            <span className="text-muted-foreground">Result codes: </span>
            {view.resultCodes.map((row, index) => (
              <span key={row.resultCode}>
                {index > 0 && " · "}
                <span className="font-mono">{row.resultCode || "(none)"}</span> {count(row.calls)}
                {row.failedCalls > 0 && <span className="text-destructive"> ({count(row.failedCalls)} failed)</span>}
              </span>
            ))}
          </p>
        </>
      )}
      {view && view.failedWorkspaces.length > 0 && (
        <div role="alert" className="rounded-md border border-warning bg-warning-muted p-2 text-warning-muted-foreground">
          Without the part of{" "}
          {view.failedWorkspaces.map((failure) => (
            <span key={failure.workspace}>
              <span className="font-mono">{failure.workspace}</span> ({failure.error}){" "}
            </span>
          ))}
          <Button size="sm" variant="outline" onClick={() => void result.refetch()} disabled={result.isFetching}>
            Try again
          </Button>
        </div>
      )}
      {view && (
        <p className="text-xs text-muted-foreground">
          Asked <RelativeTime iso={view.fetchedAt} />, shared with everyone viewing this edge; Log Analytics is asked again in {view.nextQueryInSeconds} s at
          the earliest.
        </p>
      )}
    </section>
  );
}
