import { withAuth } from "@/lib/auth/route";
import { jsonObjectBody } from "@/lib/api/json-body";
import { listNamespacePolicies, setNamespacePolicy } from "@/lib/namespaces/set-namespace-policy";

export const GET = withAuth(async (_request, { actor }) => Response.json(await listNamespacePolicies({ actor })));

/** Replaces one environment's policy: { environment, ceilings, maxNamespacesPerTeam, allowSelfApproval, requireDeploymentApproval }. */
export const PUT = withAuth(async (request, { actor }) =>
  Response.json(await setNamespacePolicy({ actor, input: await jsonObjectBody(request, "an environment's namespace policy") })),
);
