import { withAuth } from "@/lib/auth/route";
import { jsonObjectBody } from "@/lib/api/json-body";
import { previewDeployment } from "@/lib/deployments/preview-deployment";

/** The same body as POST /api/v1/deployments; answers the rendered YAML, the diff against what Wharf applied last, and the policy's verdict. Writes nothing. */
export const POST = withAuth(async (request, { actor }) =>
  Response.json(
    await previewDeployment({
      actor,
      input: await jsonObjectBody(
        request,
        '{ "service": "<slug>", "namespaceId": "<uuid>" | "cluster": "<AKS cluster name>", "namespace": "<namespace name>", "tag": "1.4.2" }',
      ),
    }),
  ),
);
