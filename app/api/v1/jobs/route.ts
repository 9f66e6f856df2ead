import { withAuth } from "@/lib/auth/route";
import { listJobs } from "@/lib/jobs/list-jobs";

/** Recent running, retrying and failed background jobs; ?queue=, ?status=, ?limit= (per queue and status). */
export const GET = withAuth(
  async (request, { actor }) => {
    const filter = Object.fromEntries(request.nextUrl.searchParams);
    return Response.json({ jobs: await listJobs({ actor, filter }) });
  },
  { permission: "job:read" },
);
