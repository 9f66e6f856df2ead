import type { NextRequest } from "next/server";
import { withAuth } from "@/lib/auth/route";
import { jsonObjectBody } from "@/lib/api/json-body";
import { rollbackDeployment } from "@/lib/deployments/rollback-deployment";

type Context = { params: Promise<{ id: string }> };

async function optionalBody(request: NextRequest): Promise<Record<string, unknown>> {
  if (!request.headers.get("content-length") || request.headers.get("content-length") === "0") return {};
  return jsonObjectBody(request, '{ "whenBusy"?: "refuse" | "queue" }');
}

/** Rolls back TO deployment {id} (a revision that succeeded): a new deployment re-applies its manifest. 201 with the new deployment. */
export const POST = withAuth<Context>(async (request, { actor, params }) =>
  Response.json(await rollbackDeployment({ actor, deploymentId: (await params).id, input: await optionalBody(request) }), { status: 201 }),
);
