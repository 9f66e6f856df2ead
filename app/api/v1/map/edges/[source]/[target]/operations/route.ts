import { withAuth } from "@/lib/auth/route";
import { AppError } from "@/lib/errors";
import { getEdgeOperations } from "@/lib/appmap/get-edge-operations";

// One edge's top failing operations and result codes, asked of Log Analytics on demand (cached per edge, rate-limited
// per user): /api/v1/map/edges/<source node id>/<target node id>/operations?window=1h|24h|7d&environment=<name>.
// Node ids hold ':' and may hold '/' (a Service Bus target): each is one URL-encoded segment, read from the raw path
// and decoded once, so it does not matter whether the framework decodes %2F in params.
export const GET = withAuth(async (request, { actor }) => {
  const segments = request.nextUrl.pathname.split("/");
  const at = segments.indexOf("edges");
  const decoded = (segment: string | undefined): string => {
    try {
      return decodeURIComponent(segment ?? "");
    } catch {
      throw new AppError("invalid_input", "The edge's node ids are not valid URL-encoded text; encode each with encodeURIComponent.");
    }
  };
  const source = decoded(segments[at + 1]);
  const target = decoded(segments[at + 2]);
  const params = request.nextUrl.searchParams;
  const query = Object.fromEntries(["window", "environment"].flatMap((name) => (params.has(name) ? [[name, params.get(name)]] : [])));
  return Response.json(await getEdgeOperations({ actor, input: { ...query, source, target } }));
});
