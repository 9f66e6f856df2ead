import { withAuth } from "@/lib/auth/route";
import { listImageTags } from "@/lib/deployments/image-tags";

type Context = { params: Promise<{ slug: string }> };

/** The tags of the service's image repository, newest first, from Azure Container Registry (decision 0059). */
export const GET = withAuth<Context>(async (_request, { actor, params }) => {
  const tags = await listImageTags({ actor, slug: (await params).slug });
  return Response.json(tags, { headers: { "cache-control": "private, no-store" } });
});
