import { withAuth } from "@/lib/auth/route";
import { retryJob } from "@/lib/jobs/retry-job";

type Context = { params: Promise<{ id: string }> };

/** Runs a failed job again, with a fresh retry time. 409 when the job is not failed. */
export const POST = withAuth<Context>(async (_request, { actor, params }) => Response.json(await retryJob({ actor, id: (await params).id })));
