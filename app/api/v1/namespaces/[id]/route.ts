import { withAuth } from "@/lib/auth/route";
import { getNamespace } from "@/lib/namespaces/list-namespaces";

type Context = { params: Promise<{ id: string }> };

/** The namespace with its requests; pages poll this while provisioning runs. */
export const GET = withAuth<Context>(async (_request, { actor, params }) =>
  Response.json(await getNamespace({ actor, id: (await params).id }), { headers: { "cache-control": "no-store" } }),
);
