// Reading deployments: one, and the history of a service in a namespace
// (or of a service, a namespace, a cluster, an environment, a status or a
// person), newest first; and who appears in the history, for its filter.
import { z } from "zod";
import { getPrisma } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { environments } from "@/lib/clusters/cluster-view";
import { findDeploymentOr404 } from "./approve-deployment";
import { deploymentStatuses } from "./deployment-settings";
import { deploymentInclude, toDeploymentView, type DeploymentView } from "./deployment-view";

export async function getDeployment({ actor, id }: { actor: Actor; id: string }): Promise<DeploymentView> {
  if (!can(actor, "deployment:read")) throw forbidden("deployment:read");
  return toDeploymentView(await findDeploymentOr404(id));
}

/** `namespace` is Wharf's namespace id, or with `cluster` the namespace's name on that cluster (names repeat across clusters). */
export const deploymentFilter = z
  .object({
    service: z.string().trim().min(1).max(63).optional(),
    cluster: z.string().trim().min(1).max(63, "cluster is an AKS cluster name, at most 63 characters.").optional(),
    namespace: z.string().trim().min(1).max(63, "namespace is a namespace id or, with cluster, a namespace name of at most 63 characters.").optional(),
    environment: z.enum(environments, { error: `environment must be one of ${environments.join(", ")}.` }).optional(),
    status: z
      .string()
      .trim()
      .max(200)
      .transform((text) => text.split(",").map((value) => value.trim()))
      .refine((values) => values.every((value) => (deploymentStatuses as readonly string[]).includes(value)), {
        message: `status is one or more of ${deploymentStatuses.join(", ")}, separated by commas.`,
      })
      .optional(),
    /** Who asked for it: a person's id (deployments a pipeline made have none). */
    requestedBy: z.uuid("requestedBy is the id of a person, as the history's own filter gives it.").optional(),
    limit: z.coerce.number().int().min(1, "limit must be at least 1.").max(200, "limit can be at most 200.").default(50),
    /** The page after this deployment (the last one of the page before): its id, from `older`. */
    before: z.uuid("before is the id of a deployment, as `older` of the page before gives it.").optional(),
  })
  .superRefine((filter, ctx) => {
    if (filter.cluster === undefined && filter.namespace !== undefined && !z.uuid().safeParse(filter.namespace).success) {
      ctx.addIssue({
        code: "custom",
        path: ["namespace"],
        message: "namespace alone must be a namespace id; to filter by the namespace's name, give cluster too.",
      });
    }
  });

export interface DeploymentPage {
  deployments: DeploymentView[];
  /** The id to pass as `before` for the next, older page; null on the last. */
  older: string | null;
}

/** One page of the history, newest first (by creation, then revision, then id), and where the next page starts. */
export async function listDeployments({ actor, filter }: { actor: Actor; filter: unknown }): Promise<DeploymentPage> {
  if (!can(actor, "deployment:read")) throw forbidden("deployment:read");
  // parseInput, as every use case: it refuses control characters (a NUL in ?status= was a PostgreSQL 22021, a 500).
  const { service, cluster, namespace, environment, status, requestedBy, limit, before } = parseInput(deploymentFilter, filter);
  const prisma = getPrisma();
  const where: Prisma.DeploymentWhereInput = {};
  if (service) where.service = { slug: service };
  if (cluster) where.namespace = { cluster: { name: cluster }, ...(namespace && { name: namespace }) };
  else if (namespace) where.namespaceId = namespace;
  if (environment) where.namespace = { ...(where.namespace as Prisma.NamespaceWhereInput | undefined), environment };
  if (status) where.status = { in: status };
  if (requestedBy) where.requestedById = requestedBy;
  if (before) {
    const from = await prisma.deployment.findUnique({ where: { id: before }, select: { id: true, createdAt: true, revision: true } });
    if (!from)
      throw new AppError("invalid_input", "before names no deployment; use `older` from the page before, or leave it out for the newest.", {
        path: ["before"],
      });
    where.OR = [
      { createdAt: { lt: from.createdAt } },
      { createdAt: from.createdAt, revision: { lt: from.revision } },
      { createdAt: from.createdAt, revision: from.revision, id: { lt: from.id } },
    ];
  }
  const rows = await prisma.deployment.findMany({
    where,
    include: deploymentInclude,
    orderBy: [{ createdAt: "desc" }, { revision: "desc" }, { id: "desc" }],
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  return { deployments: page.map(toDeploymentView), older: rows.length > limit ? page.at(-1)!.id : null };
}

export interface Deployer {
  id: string;
  name: string;
}

/** The people who asked for deployments, by name, for the history's "who" filter (at most 200, the most recent first when more). */
export async function listDeployers({ actor }: { actor: Actor }): Promise<Deployer[]> {
  if (!can(actor, "deployment:read")) throw forbidden("deployment:read");
  const rows = await getPrisma().$queryRaw<Deployer[]>`
    SELECT "requestedById" AS "id", (array_agg("requestedByName" ORDER BY "createdAt" DESC))[1] AS "name"
    FROM "Deployment" WHERE "requestedById" IS NOT NULL
    GROUP BY "requestedById" ORDER BY max("createdAt") DESC LIMIT 200`;
  return rows.sort((a, b) => a.name.localeCompare(b.name));
}
