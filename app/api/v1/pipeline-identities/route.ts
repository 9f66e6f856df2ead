import { withAuth } from "@/lib/auth/route";
import { jsonObjectBody } from "@/lib/api/json-body";
import { addPipelineIdentity } from "@/lib/pipelines/add-pipeline-identity";
import { listPipelineIdentities } from "@/lib/pipelines/list-pipeline-identities";

const shape =
  '{ "clientId": "<application (client) id>", ' +
  '"objectId"?: "<service principal object id>", "displayName": "Payments main pipeline", "teamIds": ["<team id>"] }';

/** Every pipeline identity, active first (platform admins). */
export const GET = withAuth(async (_request, { actor }) => Response.json(await listPipelineIdentities({ actor })));

/** 201 with the identity; 409 when the client id is registered and not revoked (a revoked one is restored). */
export const POST = withAuth(async (request, { actor }) =>
  Response.json(await addPipelineIdentity({ actor, input: await jsonObjectBody(request, shape) }), { status: 201 }),
);
