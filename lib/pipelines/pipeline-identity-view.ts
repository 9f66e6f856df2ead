import type { PipelineIdentity } from "@/lib/db/generated/client";

export interface PipelineIdentityView {
  id: string;
  clientId: string;
  objectId: string | null;
  displayName: string;
  teams: { id: string; slug: string; name: string }[];
  createdByName: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  revokedByName: string | null;
}

export function toPipelineIdentityView(row: PipelineIdentity, teamsById: Map<string, { id: string; slug: string; name: string }>): PipelineIdentityView {
  return {
    id: row.id,
    clientId: row.clientId,
    objectId: row.objectId,
    displayName: row.displayName,
    teams: row.teamIds.flatMap((id) => teamsById.get(id) ?? []),
    createdByName: row.createdByName,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    revokedByName: row.revokedByName,
  };
}
