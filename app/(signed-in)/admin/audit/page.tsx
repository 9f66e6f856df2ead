import Link from "next/link";
import type { Metadata } from "next";
import { DataTable, Row, Cell } from "@/components/ui/table";
import { Card } from "@/components/ui/card";
import { ScrollCard } from "@/components/ui/scroll-card";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { AbsoluteAndRelativeTime, RelativeTime } from "@/components/ui/relative-time";
import { requirePermission } from "@/lib/auth/current-actor";
import { listAuditEvents } from "@/lib/admin/list-audit-events";
import { refusedAddress } from "@/lib/net/request-outcome";

export const metadata: Metadata = { title: "Audit log" };

type Search = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) || undefined;

const outcomeTone = { success: "success", denied: "destructive", failure: "warning" } as const;

export default async function AuditPage({ searchParams }: { searchParams: Promise<Search> }) {
  const actor = await requirePermission("audit:read");
  const search = await searchParams;
  const filter = { actor: one(search.actor), action: one(search.action), from: one(search.from), to: one(search.to), before: one(search.before) };
  let result: Awaited<ReturnType<typeof listAuditEvents>> | undefined;
  let problem: string | undefined;
  try {
    result = await listAuditEvents({ actor, filter });
  } catch (error) {
    problem = refusedAddress(error);
  }
  const nextQuery = result?.nextBefore
    ? new URLSearchParams({ ...Object.fromEntries(Object.entries(filter).filter(([, v]) => v)), before: result.nextBefore })
    : undefined;
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold">Audit log</h1>
      <Card>
        <form className="grid items-end gap-3 md:grid-cols-5" method="get" aria-label="Filter the audit log">
          <div className="space-y-1">
            <Label htmlFor="actor">Actor</Label>
            <Input id="actor" name="actor" defaultValue={filter.actor} placeholder="Name" />
          </div>
          <div className="space-y-1">
            <Label htmlFor="action">Action starts with</Label>
            <Input id="action" name="action" defaultValue={filter.action} placeholder="team." />
          </div>
          <div className="space-y-1">
            <Label htmlFor="from">From</Label>
            <Input id="from" name="from" type="date" defaultValue={filter.from} />
          </div>
          <div className="space-y-1">
            <Label htmlFor="to">To</Label>
            <Input id="to" name="to" type="date" defaultValue={filter.to} />
          </div>
          <Button type="submit">Filter</Button>
        </form>
      </Card>
      {problem && (
        <p role="alert" className="font-medium text-destructive">
          {problem}
        </p>
      )}
      {result && result.events.length === 0 && <Card>No audit events match this filter. Clear a filter to see more.</Card>}
      {result && result.events.length > 0 && (
        <ScrollCard label="Audit events">
          <DataTable caption="Audit events" columns={["When", "Actor", "Action", "Resource", "Outcome", "Change"]}>
            {result.events.map((event) => (
              <Row key={event.id}>
                <Cell className="whitespace-nowrap">
                  <AbsoluteAndRelativeTime iso={event.at} />
                </Cell>
                <Cell>{event.actorName}</Cell>
                <Cell className="font-mono">{event.action}</Cell>
                <Cell>
                  {event.resourceType}
                  {event.resourceId && <span className="block font-mono text-xs text-muted-foreground">{event.resourceId}</span>}
                </Cell>
                <Cell>
                  <Badge variant={outcomeTone[event.outcome]}>{event.outcome}</Badge>
                  {event.repeated && event.repeated.count > 1 && (
                    <span className="block text-xs text-muted-foreground">
                      {event.repeated.count} times, the last <RelativeTime iso={event.repeated.lastAt} />
                    </span>
                  )}
                </Cell>
                <Cell>
                  {(event.before != null || event.after != null) && (
                    <details>
                      <summary className="cursor-pointer text-primary">Before and after</summary>
                      <pre className="mt-2 max-w-md overflow-x-auto rounded bg-muted p-2 text-xs">
                        {JSON.stringify({ before: event.before, after: event.after }, null, 2)}
                      </pre>
                    </details>
                  )}
                  {event.detail && <p className="text-xs text-muted-foreground">{event.detail}</p>}
                </Cell>
              </Row>
            ))}
          </DataTable>
        </ScrollCard>
      )}
      {nextQuery && (
        <Link href={`/admin/audit?${nextQuery.toString()}`} className="font-medium text-primary underline underline-offset-2">
          Older events
        </Link>
      )}
    </div>
  );
}
