import { withAuth } from "@/lib/auth/route";
import { withdrawNamespaceRequest } from "@/lib/namespaces/change-namespace";

type Context = { params: Promise<{ id: string }> };

export const POST = withAuth<Context>(async (_request, { actor, params }) =>
  Response.json(await withdrawNamespaceRequest({ actor, requestId: (await params).id })),
);
