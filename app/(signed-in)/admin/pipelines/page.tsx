import type { Metadata } from "next";
import { Card, CardTitle } from "@/components/ui/card";
import { ScrollCard } from "@/components/ui/scroll-card";
import { Badge } from "@/components/ui/badge";
import { RelativeTime } from "@/components/ui/relative-time";
import { Cell, DataTable, Row } from "@/components/ui/table";
import { requirePermission } from "@/lib/auth/current-actor";
import { getConfig } from "@/lib/config";
import { listPipelineIdentities } from "@/lib/pipelines/list-pipeline-identities";
import { listTeams } from "@/lib/teams/list-teams";
import { addPipelineIdentityAction, revokePipelineIdentityAction } from "./actions";
import { AddPipelineForm, RevokePipelineButton } from "./pipeline-forms";

export const metadata: Metadata = { title: "Pipelines" };

export default async function AdminPipelinesPage() {
  const actor = await requirePermission("pipeline:manage");
  const [identities, teams] = await Promise.all([listPipelineIdentities({ actor }), listTeams({ actor })]);
  const { api } = getConfig().identity;
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold">Pipelines</h1>
      <p className="max-w-3xl text-sm text-muted-foreground">
        CI pipelines deploy through <code>POST /api/v1/deployments</code> with an Entra ID access token for <code>{api.appIdUri}</code>, obtained with the
        client credentials flow. Wharf accepts a token only if its identity has the <code>{api.deployerAppRole}</code> app role and is listed here, and only for
        the teams ticked. A pipeline never approves: production deployments it asks for wait for a person. See the README, “Deploying from a pipeline”.
      </p>
      <div className="grid gap-6 lg:grid-cols-[1fr_2fr]">
        <Card className="self-start">
          <CardTitle>Add a pipeline identity</CardTitle>
          <AddPipelineForm
            action={addPipelineIdentityAction}
            teams={teams.filter((team) => !team.archivedAt).map((team) => ({ id: team.id, name: team.name }))}
          />
        </Card>
        <ScrollCard label="Pipeline identities">
          <DataTable caption="Pipeline identities" columns={["Pipeline", "Client ID", "Teams", "Added", "Last used", ""]}>
            {identities.length === 0 && (
              <Row>
                <Cell colSpan={6} className="text-muted-foreground">
                  No pipeline identity yet: pipelines&apos; tokens are refused until one is added.
                </Cell>
              </Row>
            )}
            {identities.map((identity) => (
              <Row key={identity.id} aria-label={`Pipeline ${identity.displayName}`}>
                <Cell className="font-medium">
                  {identity.displayName}
                  {identity.revokedAt && (
                    <div>
                      <Badge variant="warning">Revoked</Badge>{" "}
                      <span className="text-xs text-muted-foreground">
                        <RelativeTime iso={identity.revokedAt} />
                        {identity.revokedByName ? ` by ${identity.revokedByName}` : ""}
                      </span>
                    </div>
                  )}
                </Cell>
                <Cell>
                  <code className="text-xs">{identity.clientId}</code>
                  {identity.objectId && <div className="text-xs text-muted-foreground">oid {identity.objectId}</div>}
                </Cell>
                <Cell>{identity.teams.map((team) => team.name).join(", ") || "none"}</Cell>
                <Cell className="text-xs">
                  <RelativeTime iso={identity.createdAt} /> by {identity.createdByName}
                </Cell>
                <Cell className="text-xs">{identity.lastUsedAt ? <RelativeTime iso={identity.lastUsedAt} /> : "never"}</Cell>
                <Cell>
                  {!identity.revokedAt && <RevokePipelineButton action={revokePipelineIdentityAction} id={identity.id} name={identity.displayName} />}
                </Cell>
              </Row>
            ))}
          </DataTable>
        </ScrollCard>
      </div>
    </div>
  );
}
