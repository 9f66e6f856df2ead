import { withAuth } from "@/lib/auth/route";
import { getNamespaceRequest } from "@/lib/namespaces/list-namespaces";

type Context = { params: Promise<{ id: string }> };

export const GET = withAuth<Context>(async (_request, { actor, params }) => Response.json(await getNamespaceRequest({ actor, id: (await params).id })));
