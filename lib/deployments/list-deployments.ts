// Reading deployments: one, and the history of a service in a namespace
// (or of a service, or a namespace, or a cluster), newest first.
import { z } from "zod";
import { getPrisma } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { findDeploymentOr404 } from "./approve-deployment";
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
    status: z.string().trim().max(40).optional(),
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
  const { service, cluster, namespace, status, limit, before } = parseInput(deploymentFilter, filter);
  const prisma = getPrisma();
  const where: Prisma.DeploymentWhereInput = {};
  if (service) where.service = { slug: service };
  if (cluster) where.namespace = { cluster: { name: cluster }, ...(namespace && { name: namespace }) };
  else if (namespace) where.namespaceId = namespace;
  if (status) where.status = { in: status.split(",").map((value) => value.trim()) };
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
