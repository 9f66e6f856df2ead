import { withAuth } from "@/lib/auth/route";
import { reapplyNamespace } from "@/lib/namespaces/reapply-namespace";

type Context = { params: Promise<{ id: string }> };

export const POST = withAuth<Context>(async (_request, { actor, params }) => Response.json(await reapplyNamespace({ actor, namespaceId: (await params).id })));
