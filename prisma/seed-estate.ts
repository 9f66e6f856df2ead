// The sandbox's demo estate: on a fresh install, what a company would already
// run, so Health, Map, Cost and the home page have something to show the
// first time someone signs in. Each piece goes through the path a person's
// click takes (request, approval, provisioning, deployment, its approval), as
// the personas who would have done it; nothing is written around the use
// cases. Only on a database with no namespace request at all: once people use
// the demo, a restart adds nothing. WHARF_DEMO_ESTATE=off leaves it out.
import { getPrisma } from "../lib/db/client";
import { getConfig } from "../lib/config";
import type { UserActor } from "../lib/auth/permissions";
import { actorForUser } from "../lib/auth/actor";
import { requestNamespace } from "../lib/namespaces/request-namespace";
import { decideNamespaceRequest } from "../lib/namespaces/decide-namespace-request";
import { provisionNamespace } from "../lib/namespaces/provision-namespace";
import type { ContainerDefaults, Quota } from "../lib/namespaces/namespace-input";
import { createDeployment } from "../lib/deployments/create-deployment";
import { approveDeployment } from "../lib/deployments/approve-deployment";
import { enqueue } from "../lib/jobs/enqueue";
import { stopBoss } from "../lib/jobs/boss";
import { findPersona, sandboxTenantId, type PersonaKey } from "../sandbox/personas";

interface EstateDeployment {
  service: string;
  tag: string;
  /** Fewer replicas than the deploy spec asks for: dev runs small. */
  replicas?: number;
  /** Who approves a production deployment; left waiting when absent. */
  approvedBy?: PersonaKey;
  /** Queued behind the same service's rollout in the namespace, as the deploy form offers. */
  afterRollout?: boolean;
}

export interface EstateNamespace {
  team: string;
  name: string;
  cluster: string;
  requestedBy: PersonaKey;
  /** The admin who approves the request; left in the approval queue when absent. */
  approvedBy?: PersonaKey;
  justification: string;
  quota: Quota;
  deployments: EstateDeployment[];
}

const defaults: ContainerDefaults = { requestCpu: "100m", requestMemory: "128Mi", limitCpu: "500m", limitMemory: "512Mi" };
const devQuota: Quota = { requestsCpu: "6", limitsCpu: "12", requestsMemory: "12Gi", limitsMemory: "24Gi", pods: "60", storage: "20Gi", loadBalancers: "0" };
const prodQuota: Quota = {
  requestsCpu: "12",
  limitsCpu: "24",
  requestsMemory: "24Gi",
  limitsMemory: "48Gi",
  pods: "120",
  storage: "50Gi",
  loadBalancers: "0",
};

const droneServices = ["ingestion", "workflow", "package", "drone-scheduler", "delivery"];

/**
 * The estate. Drone Delivery's reference-architecture services report to Application Insights (they have role
 * names), so they fill Health and the Map; in dev, Delivery runs the sandbox's `errors` tag, so one service shows
 * what an unhealthy one looks like (a fifth of its requests fail). Payments' and Orders' other services have no role name: their health comes from
 * Kubernetes alone, which the pages say. A production deployment of Ledger and Orders' production namespace wait
 * for Alex Morgan, so an admin's home page has something to decide.
 */
export const demoEstate: readonly EstateNamespace[] = [
  {
    team: "drone-delivery",
    name: "drone-delivery-dev",
    cluster: "aks-dev-weu",
    requestedBy: "drone",
    approvedBy: "admin",
    justification: "Development environment for the drone delivery services (Ingestion, Workflow, Package, Drone Scheduler, Delivery).",
    quota: devQuota,
    deployments: droneServices.map((service) => ({ service, tag: service === "delivery" ? "errors" : "2.3.0", replicas: 1 })),
  },
  {
    team: "drone-delivery",
    name: "drone-delivery-prod",
    cluster: "aks-prod-weu",
    requestedBy: "drone",
    approvedBy: "admin",
    justification: "Production for the drone delivery API: the services behind the ingress, sized for the morning peak.",
    quota: prodQuota,
    deployments: droneServices.map((service) => ({ service, tag: "2.0.0", approvedBy: "admin" as const })),
  },
  {
    team: "payments",
    name: "payments-dev",
    cluster: "aks-dev-weu",
    requestedBy: "payments",
    approvedBy: "admin",
    justification: "Development and integration testing of the payment gateway, tokenizer, fraud scoring and ledger.",
    quota: devQuota,
    deployments: ["payment-gateway", "card-tokenizer", "fraud-scoring", "ledger"].map((service) => ({ service, tag: "2.3.0", replicas: 1 })),
  },
  {
    team: "payments",
    name: "payments-prod",
    cluster: "aks-prod-weu",
    requestedBy: "payments",
    approvedBy: "admin",
    justification: "Production payments: card payments for the web shop and the drone delivery API.",
    quota: prodQuota,
    deployments: [
      { service: "payment-gateway", tag: "2.0.0", approvedBy: "admin" },
      { service: "card-tokenizer", tag: "2.0.0", approvedBy: "admin" },
      { service: "ledger", tag: "2.0.0", approvedBy: "admin" },
      // Waits for a second person: on Alex Morgan's home page and under Approvals.
      { service: "ledger", tag: "2.3.0", afterRollout: true },
    ],
  },
  {
    team: "orders",
    name: "orders-dev",
    cluster: "aks-dev-weu",
    requestedBy: "orders",
    approvedBy: "admin",
    justification: "Development of the order API, cart, checkout web and promotions.",
    quota: devQuota,
    deployments: ["order-api", "cart", "checkout-web", "promotions"].map((service) => ({ service, tag: "2.3.0", replicas: 1 })),
  },
  {
    team: "orders",
    name: "orders-prod",
    cluster: "aks-prod-weu",
    requestedBy: "orders",
    justification: "Production for the order API and checkout, moving off the old cluster before the spring campaign.",
    quota: prodQuota,
    deployments: [],
  },
];

export interface SeededEstate {
  namespaces: number;
  pendingRequests: number;
  deployments: number;
  awaitingApproval: number;
}

/** A persona's user row as their first sign-in would write it (kept as it is when they have signed in), and its actor. */
async function personaActor(key: PersonaKey): Promise<UserActor> {
  const persona = findPersona(key);
  if (!persona) throw new Error(`the demo estate names persona ${key}, which the sandbox does not have`);
  const user = await getPrisma().user.upsert({
    where: { tenantId_entraObjectId: { tenantId: sandboxTenantId, entraObjectId: persona.oid } },
    create: {
      tenantId: sandboxTenantId,
      entraObjectId: persona.oid,
      name: persona.name,
      email: persona.email,
      groupIds: [...persona.groups],
      appRoles: [...persona.roles],
      lastSignInAt: new Date(),
    },
    update: {},
  });
  return actorForUser(user, getConfig().identity);
}

/**
 * Seeds `estate` when the database has no namespace request yet; returns what it made (all zero when it made nothing).
 * Namespaces are provisioned here, on the sandbox's clusters; the rollouts and a first cost sync are queued for the
 * worker, which starts after this.
 */
export async function seedDemoEstate(estate: readonly EstateNamespace[] = demoEstate): Promise<SeededEstate> {
  const prisma = getPrisma();
  const seeded: SeededEstate = { namespaces: 0, pendingRequests: 0, deployments: 0, awaitingApproval: 0 };
  if ((await prisma.namespaceRequest.count()) > 0) return seeded;
  try {
    const actors = new Map<PersonaKey, UserActor>();
    const actor = async (key: PersonaKey) => actors.get(key) ?? actors.set(key, await personaActor(key)).get(key)!;
    const teams = new Map((await prisma.team.findMany({ select: { id: true, slug: true } })).map((team) => [team.slug, team.id]));
    const clusters = new Map((await prisma.cluster.findMany({ select: { id: true, name: true } })).map((cluster) => [cluster.name, cluster.id]));
    // Every team and cluster named, before anything is written: a missing one is said, not found halfway.
    const missing = [
      ...estate.filter((planned) => !teams.has(planned.team)).map((planned) => `team ${planned.team}`),
      ...estate.filter((planned) => !clusters.has(planned.cluster)).map((planned) => `cluster ${planned.cluster}`),
    ];
    if (missing.length) throw new Error(`the demo estate needs ${[...new Set(missing)].join(", ")}, which Wharf does not have`);
    for (const planned of estate) {
      const teamId = teams.get(planned.team)!;
      const clusterId = clusters.get(planned.cluster)!;
      const request = await requestNamespace({
        actor: await actor(planned.requestedBy),
        input: { teamId, clusterId, name: planned.name, quota: planned.quota, containerDefaults: defaults, justification: planned.justification },
      });
      if (!planned.approvedBy) {
        seeded.pendingRequests += 1;
        continue;
      }
      const { namespaceId } = await decideNamespaceRequest({ actor: await actor(planned.approvedBy), requestId: request.id, input: { decision: "approve" } });
      // The job the approval queued does this too; here it is done at once, so the deployments below find it ready.
      await provisionNamespace({ namespaceId: namespaceId!, attempt: 1 });
      seeded.namespaces += 1;
      for (const planning of planned.deployments) {
        const deployment = await createDeployment({
          actor: await actor(planned.requestedBy),
          input: {
            service: planning.service,
            namespaceId,
            tag: planning.tag,
            ...(planning.replicas && { replicas: planning.replicas }),
            ...(planning.afterRollout && { whenBusy: "queue" }),
          },
        });
        seeded.deployments += 1;
        if (deployment.status !== "awaiting-approval") continue;
        if (planning.approvedBy) await approveDeployment({ actor: await actor(planning.approvedBy), deploymentId: deployment.id });
        else seeded.awaitingApproval += 1;
      }
    }
    // A first cost sync now rather than at the next hourly check: every subscription is due on a new install.
    await enqueue("cost.sync", {});
    return seeded;
  } finally {
    // The jobs above were queued through this process's pg-boss; the worker runs them.
    await stopBoss();
  }
}
