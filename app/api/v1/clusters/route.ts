import { withAuth } from "@/lib/auth/route";
import { listClusters } from "@/lib/clusters/list-clusters";

/** The clusters Wharf knows, with environment, reachability and last error, as the Clusters page shows them. */
export const GET = withAuth(async (_request, { actor }) => Response.json({ clusters: await listClusters({ actor }) }));
