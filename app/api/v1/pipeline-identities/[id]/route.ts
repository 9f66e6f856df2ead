import { withAuth } from "@/lib/auth/route";
import { revokePipelineIdentity } from "@/lib/pipelines/revoke-pipeline-identity";

type Context = { params: Promise<{ id: string }> };

/** Revokes: the row stays for the audit trail; the identity's tokens are refused from now on. */
export const DELETE = withAuth<Context>(async (_request, { actor, params }) => Response.json(await revokePipelineIdentity({ actor, id: (await params).id })));
