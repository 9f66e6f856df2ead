// `Authorization: Bearer` on the API: a pipeline's Entra token, verified
// (pipeline-token.ts), then mapped to the PipelineIdentity an admin
// registered, which says which teams it may deploy for.
import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { verifyPipelineToken, type PipelineTokenIdentity } from "@/lib/auth/pipeline-token";
import type { PipelineActor } from "@/lib/auth/permissions";

/** The token after `Bearer `, or null when the request has no bearer credentials. */
export function bearerToken(authorization: string | null): string | null {
  if (!authorization) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) {
    if (/^Bearer\b/i.test(authorization)) throw new AppError("unauthenticated", "The Authorization header says Bearer but carries no token.");
    return null;
  }
  return match[1]!;
}

// lastUsedAt is for the admin page; one write a minute per identity is plenty.
const lastUsedResolution = 60_000;

/** The registered, unrevoked identity behind a verified token; 403 otherwise, audited. */
export async function actorForPipeline(identity: PipelineTokenIdentity): Promise<PipelineActor> {
  const prisma = getPrisma();
  const row = await prisma.pipelineIdentity.findUnique({ where: { clientId: identity.clientId } });
  const refuse = async (detail: string, message: string): Promise<never> => {
    await recordAuditEvent(prisma, {
      actor: { kind: "anonymous", name: `pipeline ${row?.displayName ?? identity.clientId}` },
      action: "pipeline.authenticate",
      resourceType: "pipeline-identity",
      resourceId: row?.id ?? identity.clientId,
      outcome: "denied",
      detail,
    });
    throw new AppError("forbidden", message);
  };
  if (!row) {
    return refuse(
      "not registered",
      `The pipeline identity ${identity.clientId} is not registered in Wharf. A platform admin adds it in Admin → Pipelines with the teams it deploys for.`,
    );
  }
  if (row.revokedAt) {
    return refuse(
      "revoked",
      `The pipeline identity ${row.displayName} (${row.clientId}) was revoked in Wharf on ` +
        `${row.revokedAt.toISOString()}${row.revokedByName ? ` by ${row.revokedByName}` : ""}.`,
    );
  }
  if (row.objectId && row.objectId !== identity.objectId) {
    return refuse(
      "object id mismatch",
      `The token's service principal (oid ${identity.objectId}) is not the one registered for ${row.displayName} (${row.objectId}).`,
    );
  }
  const teams = row.teamIds.length
    ? await prisma.team.findMany({
        where: { id: { in: row.teamIds }, archivedAt: null },
        select: { id: true, slug: true, name: true },
        orderBy: { name: "asc" },
      })
    : [];
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > lastUsedResolution) {
    await prisma.pipelineIdentity.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  return { kind: "pipeline", pipelineIdentityId: row.id, clientId: row.clientId, name: `${row.displayName} (pipeline)`, isAdmin: false, teams };
}

/** Verifies the token and finds its pipeline identity. */
export async function pipelineActorFromToken(token: string): Promise<PipelineActor> {
  return actorForPipeline(await verifyPipelineToken(token));
}
