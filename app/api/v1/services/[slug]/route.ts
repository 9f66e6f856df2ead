import { withAuth } from "@/lib/auth/route";
import { jsonObjectBody } from "@/lib/api/json-body";
import { getService } from "@/lib/catalog/get-service";
import { updateService } from "@/lib/catalog/update-service";
import type { ServiceInput } from "@/lib/catalog/service-input";
import { retireService } from "@/lib/catalog/retire-service";
import { getServiceHealth } from "@/lib/health/get-service-health";

type Context = { params: Promise<{ slug: string }> };

/** The service, its dependencies both ways, and `environments`: its health in each namespace where it runs. */
export const GET = withAuth<Context>(async (_request, { actor, params }) => {
  const { slug } = await params;
  const { service, uses, usedBy } = await getService({ actor, slug, owners: false });
  const health = { ...service, appInsightsRoleName: service.appInsightsRoleNameSet ? service.appInsightsRoleName : null };
  return Response.json({ ...service, uses, usedBy, environments: await getServiceHealth({ actor, slug, service: health }) });
});

/** Replaces the whole description of the service; the slug in the path wins over one in the body. */
export const PUT = withAuth<Context>(async (request, { actor, params }) => {
  // The use case parses it with the one service schema; the type only names what it should be.
  const body = (await jsonObjectBody(request, "a service")) as Omit<ServiceInput, "slug">;
  return Response.json(await updateService({ actor, slug: (await params).slug, input: body }));
});

/** Retires: the service and its history stay, and its slug is never reused. */
export const DELETE = withAuth<Context>(async (_request, { actor, params }) => Response.json(await retireService({ actor, slug: (await params).slug })));
