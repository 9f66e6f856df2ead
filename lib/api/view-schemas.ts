// zod descriptions of what the API answers, for the views that are plain
// TypeScript interfaces (lib/health has its own zod views). The OpenAPI
// document is generated from them, and lib/api/openapi-responses.test.ts
// checks real responses of the real handlers against the document, so a
// field added to a view without being added here fails a test.
import { z } from "zod";
import { lifecycles, serviceFields, tiers } from "@/lib/catalog/service-input";
import { auditOutcomes } from "@/lib/audit/record-audit-event";
import { deploymentKinds, deploymentStatuses } from "@/lib/deployments/deployment-settings";
import { tagCheckOutcomes, type TagUncheckedReason } from "@/lib/deployments/version-text";
import { namespaceStatuses, requestKinds, requestStatuses } from "@/lib/namespaces/namespace-view";
import { environments } from "@/lib/clusters/cluster-view";
import { serviceEnvironmentSchema } from "@/lib/health/get-service-health";
import { costView as costViewSchema } from "@/lib/costs/get-costs";

const iso = z.string().describe("ISO 8601 time");
const ref = z.object({ id: z.string(), slug: z.string(), name: z.string() });
const quantities = z.record(z.string(), z.string());

export const teamView = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  entraGroupIds: z.array(z.string()),
  costCenter: z.string().nullable(),
  archivedAt: iso.nullable(),
  createdAt: iso,
});
export const teamList = z.object({ teams: z.array(teamView) });
export const teamDetail = z.object({ team: teamView, members: z.array(z.object({ id: z.string(), name: z.string(), email: z.string(), lastSignInAt: iso })) });
export const platformAdminList = z.object({
  admins: z.array(z.object({ id: z.string(), name: z.string(), email: z.string(), lastSignInAt: iso })).describe("By name, at most 50"),
});
export const teamChange = z.object({
  team: teamView,
  groupsNotVerified: z.string().optional().describe("Why the Entra groups could not be checked against the directory."),
});

export const clusterView = z.object({
  id: z.string(),
  name: z.string(),
  subscriptionId: z.string(),
  resourceGroup: z.string(),
  location: z.string(),
  kubernetesVersion: z.string().nullable(),
  environment: z.enum(environments).nullable(),
  reachable: z.boolean().nullable(),
  lastError: z.string().nullable(),
  lastCheckedAt: iso.nullable(),
  missingSince: iso.nullable(),
});
export const clusterList = z.object({ clusters: z.array(clusterView) });

const namespaceStatus = z.enum(namespaceStatuses);
export const namespaceView = z.object({
  id: z.string(),
  name: z.string(),
  team: ref,
  cluster: z.object({ id: z.string(), name: z.string() }),
  environment: z.string(),
  costCenter: z.string(),
  quota: quantities,
  containerDefaults: quantities,
  status: namespaceStatus,
  statusMessage: z.string().nullable(),
  gaveUpAt: iso.nullable(),
  attempts: z.number().int(),
  drift: z.array(z.string()),
  usage: z.object({ hard: quantities, used: quantities }).nullable(),
  checkedAt: iso.nullable(),
  readyAt: iso.nullable(),
  decommissionedAt: iso.nullable(),
  createdAt: iso,
  updatedAt: iso,
});
export const namespaceRequestView = z.object({
  id: z.string(),
  kind: z.enum(requestKinds),
  team: ref,
  cluster: z.object({ id: z.string(), name: z.string(), environment: z.string().nullable() }),
  namespaceId: z.string().nullable(),
  name: z.string(),
  quota: quantities,
  containerDefaults: quantities,
  costCenter: z.string(),
  justification: z.string(),
  status: z.enum(requestStatuses),
  violationsAtSubmission: z.array(z.object({ field: z.string(), message: z.string() })),
  requestedBy: z.object({ id: z.string(), name: z.string() }),
  decidedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  decidedAt: iso.nullable(),
  decisionReason: z.string().nullable(),
  createdAt: iso,
});
export const namespaceDetail = z.object({
  namespace: namespaceView,
  requests: z.array(namespaceRequestView),
  connect: z
    .object({
      subscriptionId: z.string(),
      resourceGroup: z.string(),
      cluster: z.string(),
      namespace: z.string(),
      steps: z.array(z.object({ command: z.string(), note: z.string() })),
    })
    .describe("How to reach the namespace with kubectl: az aks get-credentials, kubelogin for clusters with Entra ID sign-in, the namespace to use."),
});
export const namespaceDecision = z.object({ request: namespaceRequestView, namespaceId: z.string().nullable() });
export const environmentPolicy = z.object({
  environment: z.enum(environments),
  ceilings: quantities,
  maxNamespacesPerTeam: z.number().int(),
  allowSelfApproval: z.boolean(),
  requireDeploymentApproval: z.boolean(),
});

const person = z.object({ id: z.string().nullable(), name: z.string() });
export const deploymentView = z.object({
  id: z.string(),
  service: z.object({ id: z.string(), slug: z.string(), displayName: z.string() }),
  namespace: z.object({ id: z.string(), name: z.string(), environment: z.string(), cluster: z.object({ id: z.string(), name: z.string() }) }),
  team: ref,
  requestedBy: person,
  revision: z.number().int(),
  kind: z.enum(deploymentKinds),
  image: z.string(),
  imageTag: z.string().nullable().describe("The tag it was deployed by, or the tag its digest was picked as; null for a digest alone."),
  imageDigest: z.string().nullable().describe("The digest the manifest pins; null when deployed by tag alone."),
  tagCheck: z
    .object({
      state: z.enum(["checked", "unchecked"]),
      reason: z
        .enum(tagCheckOutcomes.filter((outcome) => outcome !== "checked") as [TagUncheckedReason, ...TagUncheckedReason[]])
        .nullable()
        .describe("Why the registry could not be asked; null when it was."),
      text: z.string().describe('How every view says it, e.g. "tag 1.4.2 not checked against the registry: it did not answer".'),
    })
    .nullable()
    .describe(
      "A digest with the tag it was picked as: checked when the registry mapped the tag to that digest at the request; unchecked when it could not be " +
        "asked, and why (the digest was deployed, the tag taken as picked). " +
        "null for a tag or a digest alone, and for deployments made before checks were kept.",
    ),
  replicas: z.number().int(),
  status: z.enum(deploymentStatuses),
  inFlight: z.boolean(),
  reason: z.string().nullable(),
  message: z.string().nullable(),
  counts: z.object({ desired: z.number(), updated: z.number(), ready: z.number(), available: z.number() }),
  pods: z.array(
    z.object({ name: z.string(), phase: z.string(), ready: z.boolean(), restarts: z.number(), waitingReason: z.string().optional(), updated: z.boolean() }),
  ),
  events: z.array(
    z.object({ type: z.string(), reason: z.string(), message: z.string(), object: z.string(), count: z.number(), lastTimestamp: z.string().optional() }),
  ),
  needsApproval: z.boolean(),
  approvedBy: person.nullable(),
  approvedAt: iso.nullable(),
  queuedAt: iso.nullable(),
  cancelledBy: z.string().nullable(),
  rejection: z
    .object({ by: person, at: iso, reason: z.string() })
    .nullable()
    .describe("Who rejected it while it waited for approval, when, and the reason they gave; null unless rejected."),
  rolledBackFromId: z.string().nullable(),
  manifestYaml: z.string(),
  createdAt: iso,
  startedAt: iso.nullable(),
  finishedAt: iso.nullable(),
  updatedAt: iso,
  durationSeconds: z.number().nullable(),
});
export const deploymentList = z.array(deploymentView);
export const cancellation = z.object({
  cancelled: deploymentView,
  rollback: deploymentView.nullable().describe("The rollback it started, when it had been applied and an earlier revision succeeded."),
});
const fieldChange = z.object({
  field: z.string().describe("image, replicas, requests.cpu, limits.memory, ports, probe.readiness, env.NAME, ..."),
  label: z.string(),
  now: z.string().nullable().describe("null: not set in what runs now, or nothing runs there yet"),
  next: z.string().nullable().describe("null: this deployment removes it"),
});
const violation = z.object({ code: z.string(), message: z.string(), field: z.string().optional() });
export const deploymentPreview = z.object({
  service: z.object({ slug: z.string() }),
  namespace: z.object({ id: z.string(), name: z.string(), environment: z.string(), cluster: z.string() }),
  revision: z.number().int(),
  yaml: z.string(),
  diff: z.unknown(),
  current: z.object({ revision: z.number().int(), image: z.string() }).nullable(),
  liveChanges: z.array(z.unknown()),
  violations: z.array(violation),
  needsApproval: z.boolean(),
  busy: z
    .object({ id: z.string(), revision: z.number().int(), status: z.string() })
    .nullable()
    .describe("A rollout that holds or waits for the slot: deploying now is refused, or queued behind it."),
  comparedWith: z
    .object({
      namespace: z.object({ id: z.string(), name: z.string(), environment: z.string() }),
      revision: z.number().int().nullable().describe("Wharf's last applied revision there; null when Wharf never applied one"),
      changes: z.array(fieldChange).describe("How this manifest differs from that one: `now` is the other namespace's value, `next` this deployment's"),
    })
    .nullable()
    .describe("With compareWith (a promotion): the difference from what Wharf applied last in that namespace; null without it."),
  tagCheck: z
    .enum(["checked", "unchecked"])
    .nullable()
    .describe(
      "With a digest and a tag: checked when the registry maps the tag to that digest now; unchecked when the registry could not be asked " +
        "(the digest is deployed, the tag recorded as picked). null for a tag or a digest alone.",
    ),
  tagCheckText: z
    .string()
    .nullable()
    .describe('What the deployment will say of it, e.g. "tag 1.4.2 not checked against the registry: it did not answer"; null without a check.'),
});

const manifestDiff = z.object({
  changed: z.boolean(),
  added: z.number().int(),
  removed: z.number().int(),
  unified: z.string().describe("`diff -u` text: --- current / +++ next, 3 lines of context"),
  lines: z.array(z.object({ kind: z.enum(["hunk", "context", "added", "removed"]), text: z.string() })),
});
export const approvalsInbox = z.object({
  count: z.number().int().describe("Everything waiting for you; each list shows at most 100, oldest first"),
  deployments: z.array(
    z.object({
      deployment: deploymentView,
      running: z
        .object({ revision: z.number().int(), image: z.string() })
        .nullable()
        .describe("What runs in the namespace now (the revision Wharf applied last); null for a first deployment"),
      changes: z.array(fieldChange).describe("What approving changes, field by field, against what runs now"),
      diff: manifestDiff,
    }),
  ),
  namespaceRequests: z.array(
    z.object({
      request: namespaceRequestView,
      violationsNow: z.array(z.object({ field: z.string(), message: z.string() })).describe("The policy as it stands now"),
      current: namespaceView.nullable().describe("The namespace a quota change or decommission is about"),
    }),
  ),
});
export const approvalsCount = z.object({ count: z.number().int() });

export const pipelineIdentityView = z.object({
  id: z.string(),
  clientId: z.string(),
  objectId: z.string().nullable(),
  displayName: z.string(),
  teams: z.array(ref),
  createdByName: z.string(),
  createdAt: iso,
  lastUsedAt: iso.nullable(),
  revokedAt: iso.nullable(),
  revokedByName: z.string().nullable(),
});
export const pipelineIdentityList = z.array(pipelineIdentityView);

export const notificationList = z.object({
  unread: z.number().int(),
  items: z.array(z.object({ id: z.string(), message: z.string(), link: z.string(), createdAt: iso, read: z.boolean() })),
});
export const notificationsMarked = z.object({ marked: z.number().int() });

export const me = z.object({ id: z.string(), name: z.string(), email: z.string(), role: z.string(), roleLabel: z.string(), teams: z.array(ref) });

export const auditEventList = z.object({
  events: z.array(
    z.object({
      id: z.string(),
      at: iso,
      actorName: z.string(),
      action: z.string(),
      resourceType: z.string(),
      resourceId: z.string().nullable(),
      outcome: z.enum(auditOutcomes),
      before: z.unknown(),
      after: z.unknown(),
      detail: z.string().nullable(),
      /** For a refusal: identical refusals folded into this row (count includes it) and the last one's time. */
      repeated: z.object({ count: z.number().int(), lastAt: iso }).nullable(),
    }),
  ),
  nextBefore: z.string().nullable(),
});

export const jobView = z.object({
  id: z.string(),
  queue: z.string(),
  status: z.enum(["running", "retrying", "failed"]),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  gaveUp: z.string().nullable(),
  key: z.string().nullable(),
  data: z.unknown(),
  createdAt: iso,
  startedAt: iso.nullable(),
  finishedAt: iso.nullable(),
  nextAttemptAt: iso.nullable(),
});
export const jobList = z.object({ jobs: z.array(jobView) });

const catalogError = z.object({ line: z.number().int(), path: z.string().optional(), message: z.string() });
const importAction = z.enum(["create", "update", "unchanged", "refused", "invalid"]);
export const importPlan = z.object({
  fileErrors: z.array(catalogError),
  items: z.array(
    z.object({
      index: z.number().int(),
      line: z.number().int(),
      name: z.string().optional(),
      action: importAction,
      errors: z.array(catalogError),
      warnings: z.array(catalogError),
      changes: z.array(z.string()),
    }),
  ),
  counts: z.record(importAction, z.number().int()),
});
export const importResult = z.object({ created: z.array(z.string()), updated: z.array(z.string()) });

export const serviceView = z.object({
  id: z.string(),
  slug: z.string(),
  displayName: z.string(),
  description: z.string(),
  ownerTeam: ref,
  repositoryUrl: z.string().nullable(),
  language: z.string().nullable(),
  tier: z.enum(tiers),
  lifecycle: z.enum(lifecycles),
  tags: z.array(z.string()),
  links: serviceFields.links,
  dependencies: serviceFields.dependencies,
  appInsightsRoleName: z.string(),
  appInsightsRoleNameSet: z.boolean(),
  deploySpec: serviceFields.deploySpec,
  retiredAt: iso.nullable(),
  createdAt: iso,
  updatedAt: iso,
});
export const servicePage = z.object({
  services: z.array(serviceView),
  total: z.number().int().describe("Services matching the filters: exact when totalExact, else as counted at totalCountedAt on the walk's first page."),
  totalExact: z.boolean().describe("False on pages reached by a cursor: their total is not counted again."),
  totalCountedAt: iso,
  nextCursor: z.string().nullable().describe("The cursor of the next page; null on the last page."),
  next: z.string().nullable().describe('The address of the next page (also sent as `Link: <…>; rel="next"`); null on the last page.'),
  page: z.number().int(),
  pageSize: z.number().int(),
  query: z.record(z.string(), z.unknown()),
});
export const serviceDetail = serviceView.extend({
  uses: z
    .array(z.object({ slug: z.string(), displayName: z.string().nullable(), retired: z.boolean() }))
    .describe("Declared service dependencies, with whether each is in the catalog."),
  usedBy: z.array(z.object({ slug: z.string(), displayName: z.string(), ownerTeam: z.string() })).describe("Services that declare a dependency on this one."),
  environments: z.array(serviceEnvironmentSchema).describe("Its health in each namespace where it runs."),
});

/** GET /api/v1/costs: lib/costs/get-costs.ts keeps the schema beside the view it builds. */
export const costView = costViewSchema;
export const costSyncRequest = z.object({
  jobId: z.string().nullable().describe("The queued sync job; null when one was already queued or running."),
  message: z.string(),
});
