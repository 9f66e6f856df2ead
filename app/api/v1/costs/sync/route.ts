import { withAuth } from "@/lib/auth/route";
import { requestCostSync } from "@/lib/costs/request-cost-sync";

/** Queues a cost sync of every subscription now (admins); 202: it runs in the worker. */
export const POST = withAuth(async (_request, { actor }) => Response.json(await requestCostSync({ actor }), { status: 202 }));
