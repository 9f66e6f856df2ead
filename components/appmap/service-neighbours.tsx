// The service page's hop of the application map: who it calls and who calls
// it, as telemetry shows, with each call's figures and the other side's
// health (colour, icon and word), held against the catalog's declarations.
import type { ReactNode } from "react";
import Link from "next/link";
import { ArrowRight } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Card, CardTitle } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/relative-time";
import { HealthStateBadge } from "@/components/health/health-state-badge";
import type { ServiceMapView } from "@/lib/appmap/get-service-map";
import type { Neighbour } from "@/lib/appmap/service-neighbours";

function failureTone(failurePct: number | null): "success" | "warning" | "destructive" | "secondary" {
  if (failurePct === null) return "secondary";
  return failurePct >= 5 ? "destructive" : failurePct >= 1 ? "warning" : "success";
}

function NodeName({ neighbour }: { neighbour: Neighbour }) {
  const { node } = neighbour;
  if (node.serviceSlug) {
    return (
      <Link href={`/catalog/${node.serviceSlug}`} className="font-medium text-primary underline underline-offset-2">
        {node.label}
      </Link>
    );
  }
  if (node.kind === "unknown") {
    return (
      <span>
        <span className="font-medium">{node.label}</span> <span className="text-muted-foreground">(unknown service: no catalog entry claims this role)</span>
      </span>
    );
  }
  return (
    <span>
      <span className="font-medium">{node.label}</span>{" "}
      <span className="text-muted-foreground">
        ({node.dependencyType}
        {node.kind === "external-group" ? ", grouped" : ", external"})
      </span>
    </span>
  );
}

function NeighbourRow({ neighbour, direction, action }: { neighbour: Neighbour; direction: "to" | "from"; action?: ReactNode }) {
  const { edge, node } = neighbour;
  return (
    <li className="space-y-1 rounded-md border border-border p-2 text-sm" data-testid={`neighbour-${direction}`} data-node={node.id}>
      <div className="flex flex-wrap items-center gap-2">
        <NodeName neighbour={neighbour} />
        {node.health && <HealthStateBadge state={node.health} />}
        {neighbour.declared === false && (
          <Badge
            variant="warning"
            title={
              direction === "to"
                ? "This service calls it, but its catalog entry does not declare it."
                : "It calls this service, but its catalog entry does not declare it."
            }
          >
            undeclared
          </Badge>
        )}
        {edge.stale && <Badge variant="secondary">stale figures</Badge>}
      </div>
      <div className="flex flex-wrap items-center gap-2 text-muted-foreground">
        <span>{Math.round(edge.calls).toLocaleString("en")} calls</span>
        <Badge variant={failureTone(edge.failurePct)}>{edge.failurePct === null ? "no calls" : `${edge.failurePct.toFixed(1)} % failed`}</Badge>
        {edge.avgMs !== null && <span>avg {edge.avgMs} ms</span>}
        {edge.p95Ms !== null && <span>p95 {edge.p95Ms} ms</span>}
      </div>
      {action}
    </li>
  );
}

export function ServiceNeighbours({
  hop,
  slug,
  name,
  addAction,
}: {
  hop: ServiceMapView;
  slug: string;
  name: string;
  addAction?: (neighbour: Neighbour) => ReactNode;
}) {
  const windowText = { "1h": "the last hour", "24h": "the last 24 hours", "7d": "the last 7 days" }[hop.window];
  return (
    <Card aria-labelledby="observed-title">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <CardTitle id="observed-title">Talks to / called by (observed)</CardTitle>
        <Link href={`/map?focus=${encodeURIComponent(slug)}&hops=1`} className="text-sm text-primary underline underline-offset-2">
          Open on the map
        </Link>
      </div>
      {!hop.builtAt ? (
        <p className="text-sm">No map yet: the health poller builds it on its next cycle once a workspace has answered.</p>
      ) : (
        <>
          <p className="mb-3 text-sm text-muted-foreground">
            Calls over {windowText} from Application Insights, map built <RelativeTime iso={hop.builtAt} />.
            {hop.failingSources.length > 0 &&
              ` Some figures are old: ${hop.failingSources.map((source) => `${source.workspace} (${source.error})`).join(", ")}.`}
          </p>
          {hop.talksTo.length === 0 && hop.calledBy.length === 0 ? (
            <p className="text-sm">
              {hop.node
                ? `${name} made no calls and received none from other components over ${windowText}.`
                : `No telemetry from ${name} over ${windowText}: deploy it with an App Insights role name for its calls to appear.`}
            </p>
          ) : (
            <div className="grid items-start gap-3 lg:grid-cols-[1fr_auto_1fr]">
              <section aria-label="Called by">
                <h3 className="mb-2 text-sm font-semibold">Called by ({hop.calledBy.length})</h3>
                {hop.calledBy.length === 0 ? (
                  <p className="text-sm text-muted-foreground">Nothing observed calls it.</p>
                ) : (
                  <ul className="space-y-2">
                    {hop.calledBy.map((neighbour) => (
                      <NeighbourRow key={neighbour.node.id} neighbour={neighbour} direction="from" />
                    ))}
                  </ul>
                )}
              </section>
              <div className="flex items-center gap-2 self-center text-sm font-semibold" aria-hidden="true">
                <ArrowRight className="h-4 w-4" />
                <span className="rounded-md border-2 border-primary px-3 py-2">{name}</span>
                <ArrowRight className="h-4 w-4" />
              </div>
              <section aria-label="Talks to">
                <h3 className="mb-2 text-sm font-semibold">Talks to ({hop.talksTo.length})</h3>
                {hop.talksTo.length === 0 ? (
                  <p className="text-sm text-muted-foreground">It was not seen calling anything.</p>
                ) : (
                  <ul className="space-y-2">
                    {hop.talksTo.map((neighbour) => (
                      <NeighbourRow
                        key={neighbour.node.id}
                        neighbour={neighbour}
                        direction="to"
                        action={neighbour.declared === false ? addAction?.(neighbour) : undefined}
                      />
                    ))}
                  </ul>
                )}
              </section>
            </div>
          )}
        </>
      )}
      {(hop.notSeen.length > 0 || hop.notSeenBy.length > 0) && (
        <div className="mt-3 text-sm" aria-label="Not seen">
          <h3 className="font-semibold">Declared but not seen in 7 days</h3>
          <ul className="list-disc pl-5">
            {hop.notSeen.map((to) => (
              <li key={`to:${to}`}>
                {name} declares{" "}
                <Link href={`/catalog/${to}`} className="text-primary underline underline-offset-2">
                  {to}
                </Link>{" "}
                <Badge variant="secondary">not seen</Badge>
              </li>
            ))}
            {hop.notSeenBy.map((from) => (
              <li key={`from:${from}`}>
                <Link href={`/catalog/${from}`} className="text-primary underline underline-offset-2">
                  {from}
                </Link>{" "}
                declares {name} <Badge variant="secondary">not seen</Badge>
              </li>
            ))}
          </ul>
        </div>
      )}
    </Card>
  );
}
