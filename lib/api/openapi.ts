// The OpenAPI 3.1 document, generated from the same zod schemas the API
// validates with, so the two cannot drift apart.
import { z } from "zod";
import { serviceInput } from "@/lib/catalog/service-input";
import { serviceQuery } from "@/lib/catalog/list-services";
import { createTeamInput, updateTeamInput } from "@/lib/teams/team-input";
import { decisionInput, namespaceRequestInput, quotaChangeInput } from "@/lib/namespaces/namespace-input";
import { namespacePolicyInput } from "@/lib/namespaces/set-namespace-policy";
import { deployInput, previewInput } from "@/lib/deployments/deploy-input";
import { deploymentStatuses } from "@/lib/deployments/deployment-settings";
import { environments } from "@/lib/clusters/cluster-view";
import { rejectDeploymentInput } from "@/lib/deployments/reject-input";
import { deploymentLogQuery, deploymentLogView, logCacheMs, maxLogBytes } from "@/lib/deployments/read-deployment-log";
import { imageTagsView } from "@/lib/deployments/image-tags";
import { pipelineIdentityInput } from "@/lib/pipelines/pipeline-identity-input";
import { healthListSchema, healthQuery } from "@/lib/health/list-service-health";
import { serviceEnvironmentSchema } from "@/lib/health/get-service-health";
import { tierThresholdsViewSchema } from "@/lib/health/get-health-thresholds";
import { setHealthThresholdsInput } from "@/lib/health/set-health-thresholds";
import { mapQuery } from "@/lib/appmap/get-map";
import { edgeOperationsParams, edgeOperationsRateLimit, edgeOperationsViewSchema } from "@/lib/appmap/get-edge-operations";
import { costQuery } from "@/lib/costs/cost-query";
import { budgetInput } from "@/lib/costs/budget-input";
import { costBudgetView } from "@/lib/costs/cost-budget-view";
import { costBudgetList } from "@/lib/costs/list-cost-budgets";
import { costBudgetRemoval } from "@/lib/costs/delete-cost-budget";
import { allocationRuleInput, allocationRuleView } from "@/lib/costs/allocation-rule";
import { allocationRuleChange } from "@/lib/costs/set-cost-allocation-rule";
import { createBoardInput, createDisplayInput, pairDisplayInput, updateBoardInput } from "@/lib/boards/board-input";
import { boardDetailSchema, boardListSchema, boardViewSchema, displayTokenSchema, displayViewSchema } from "@/lib/boards/board-view";
import { createPlaylistInput, updatePlaylistInput } from "@/lib/boards/playlist-input";
import { playlistDetailSchema, playlistListSchema, playlistViewSchema } from "@/lib/boards/playlist-view";
import { errorCodes, unexpectedError } from "@/lib/errors";
import { auditFilter } from "@/lib/admin/list-audit-events";
import { jobFilter } from "@/lib/jobs/list-jobs";
import * as views from "@/lib/api/view-schemas";

const schema = (type: z.ZodType, io: "input" | "output" = "input") => z.toJSONSchema(type, { io, unrepresentable: "any", target: "draft-2020-12" });

const errorSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string", enum: [...Object.keys(errorCodes), unexpectedError.code] },
        message: { type: "string", description: "What went wrong and what to change." },
        path: { type: "array", items: { oneOf: [{ type: "string" }, { type: "integer" }] }, description: "The field the message is about." },
      },
    },
  },
};

// Every code lib/errors.ts knows, under the status it maps to: a new code
// appears in the document by itself. Each operation lists the statuses it can
// answer; 500 (a defect, logged) can happen anywhere and is added to all.
const codesByStatus = new Map<number, string[]>();
for (const [code, status] of [...Object.entries(errorCodes), [unexpectedError.code, unexpectedError.status] as const])
  codesByStatus.set(status, [...(codesByStatus.get(status) ?? []), code]);

const statusDescriptions: Record<number, string> = {
  400: "Bad input",
  401: "No session",
  403: "Not allowed",
  404: "Not found",
  409: "Conflict",
  413: "Body too large",
  422: "Well-formed but not acceptable: an Idempotency-Key already used with another body",
  429: "Past a rate limit (failed authentications per address, changes or edge-operation queries per person or pipeline); try again after Retry-After",
  500: "Wharf's own failure; it has been logged",
  503: "A dependency is unavailable or Wharf is overloaded; try again after Retry-After",
};

export const errors = (...statuses: number[]) =>
  Object.fromEntries(
    // Whatever authenticates can be rate limited (lib/net/rate-limit.ts).
    [...new Set([...statuses, ...(statuses.includes(401) ? [429] : []), unexpectedError.status])].map((status) => {
      const codes = codesByStatus.get(status);
      if (!codes) throw new Error(`No error code in lib/errors.ts maps to ${status}`);
      const schema = {
        allOf: [{ $ref: "#/components/schemas/Error" }, { type: "object", properties: { error: { type: "object", properties: { code: { enum: codes } } } } }],
      };
      const headers =
        status === 503 || status === 429
          ? { headers: { "Retry-After": { description: "Seconds to wait before retrying, when Wharf knows", schema: { type: "string" } } } }
          : {};
      return [String(status), { description: statusDescriptions[status] ?? codes.join(", "), ...headers, content: { "application/json": { schema } } }];
    }),
  );

const json = (ref: string, description: string) => ({ description, content: { "application/json": { schema: { $ref: `#/components/schemas/${ref}` } } } });
const idParameter = (what: string) => ({
  name: "id",
  in: "path",
  required: true,
  schema: { type: "string", format: "uuid" },
  description: `The ${what}'s id.`,
});
const body = (bodySchema: object) => ({ required: true, content: { "application/json": { schema: bodySchema } } });
const slugParameter = (what: string) => ({ name: "slug", in: "path", required: true, schema: { type: "string" }, description: `The ${what}'s slug.` });

function queryParameters(shape: Record<string, z.ZodType> = serviceQuery.shape): object[] {
  return Object.entries(shape).map(([name, field]) => ({
    name,
    in: "query",
    required: false,
    schema: schema(field as z.ZodType),
    description: (field as z.ZodType).description,
  }));
}

export function openApiDocument(serverUrl: string) {
  return {
    openapi: "3.1.0",
    info: {
      title: "Wharf API",
      version: "1.0.0",
      description:
        "Everything a Wharf page can do, for scripts and pipelines. Authenticate with a Wharf session cookie (sign in through the browser); pipelines " +
        "create and follow deployments with an Entra bearer token.",
    },
    servers: [{ url: serverUrl }],
    security: [{ session: [] }],
    paths: {
      "/api/v1/services": {
        get: {
          summary: "List and search services",
          operationId: "listServices",
          description:
            "Page numbers (`page`) for a view people page through; a cursor (`cursor`, from the previous page's `next`) for walks: each service " +
            "once, however deep, while services are added or retired. A cursor made for another sort or filter, or garbled, is refused with 400: " +
            "start again without it. Pages reached by a cursor carry the first page's total (`totalExact: false`).",
          parameters: queryParameters(),
          responses: {
            200: {
              description: 'A page of services; until the last page, a Link header with rel="next" gives the address of the next one',
              headers: { Link: { description: '<…&cursor=<cursor>>; rel="next"', schema: { type: "string" } } },
              content: { "application/json": { schema: { $ref: "#/components/schemas/ServicePage" } } },
            },
            ...errors(400, 401),
          },
        },
        post: {
          summary: "Register a service",
          operationId: "createService",
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/ServiceInput" } } } },
          responses: { 201: json("Service", "The registered service"), ...errors(400, 401, 403, 409) },
        },
      },
      "/api/v1/services/{slug}": {
        parameters: [slugParameter("service")],
        get: {
          summary: "Get a service with its dependencies both ways and its health in each namespace where it runs (`environments`)",
          operationId: "getService",
          responses: { 200: json("ServiceDetail", "The service"), ...errors(401, 404) },
        },
        put: {
          summary: "Replace a service's description (all fields; the slug stays)",
          operationId: "updateService",
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/ServiceInput" } } } },
          responses: { 200: json("Service", "The changed service"), ...errors(400, 401, 403, 404, 409) },
        },
        delete: {
          summary: "Retire a service (kept, with its history; its slug is never reused)",
          operationId: "retireService",
          responses: { 200: json("Service", "The retired service"), ...errors(401, 403, 404, 409) },
        },
      },
      "/api/v1/services/{slug}/image-tags": {
        parameters: [slugParameter("service")],
        get: {
          summary:
            "The tags of the service's image repository from Azure Container Registry, newest first, each with its digest and the namespaces " +
            "that run it now (members of the owning team and admins). An image not on a registry in Wharf's subscriptions: available false, " +
            "with why. A repository the registry does not know: 404; a registry that does not answer or refuses Wharf: 503 with Retry-After",
          operationId: "listImageTags",
          responses: { 200: json("ImageTags", "The tags, or why there are none"), ...errors(401, 403, 404, 409, 503) },
        },
      },
      "/api/v1/services/{slug}/catalog-info.yaml": {
        parameters: [slugParameter("service")],
        get: {
          summary: "Export one service as a Backstage catalog-info.yaml",
          operationId: "exportService",
          responses: { 200: { description: "YAML", content: { "application/yaml": { schema: { type: "string" } } } }, ...errors(401, 404) },
        },
      },
      "/api/v1/catalog-info.yaml": {
        get: {
          summary: "Export the active catalog (or ?team=) as one multi-document catalog-info.yaml",
          operationId: "exportCatalog",
          parameters: [{ name: "team", in: "query", schema: { type: "string" } }],
          responses: { 200: { description: "YAML", content: { "application/yaml": { schema: { type: "string" } } } }, ...errors(401) },
        },
      },
      "/api/v1/catalog/import/preview": {
        post: {
          summary: "Preview a catalog-info.yaml import: per document, create, update, unchanged, refused or invalid, with errors by line. Writes nothing.",
          operationId: "previewImport",
          requestBody: { required: true, content: { "application/yaml": { schema: { type: "string" } } } },
          responses: { 200: json("ImportPlan", "The plan"), ...errors(400, 401, 403, 413) },
        },
      },
      "/api/v1/catalog/import/apply": {
        post: {
          summary: "Import the confirmed documents of a catalog-info.yaml, all or none",
          operationId: "applyImport",
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  required: ["file", "confirmed"],
                  properties: { file: { type: "string" }, confirmed: { type: "array", items: { type: "string" } } },
                },
              },
            },
          },
          responses: { 200: json("ImportResult", "Created and updated slugs"), ...errors(400, 401, 403, 409, 413) },
        },
      },
      "/api/v1/teams": {
        get: {
          summary: "List teams",
          operationId: "listTeams",
          parameters: [{ name: "includeArchived", in: "query", schema: { type: "boolean" } }],
          responses: { 200: json("TeamList", "Teams"), ...errors(401) },
        },
        post: {
          summary: "Create a team (admins)",
          operationId: "createTeam",
          requestBody: { required: true, content: { "application/json": { schema: schema(createTeamInput) } } },
          responses: { 201: json("TeamChange", "The team"), ...errors(400, 401, 403, 409) },
        },
      },
      "/api/v1/teams/{slug}": {
        parameters: [slugParameter("team")],
        get: { summary: "Get a team and its members", operationId: "getTeam", responses: { 200: json("TeamDetail", "The team"), ...errors(401, 404) } },
        patch: {
          summary: "Rename a team or change its Entra groups (admins)",
          operationId: "updateTeam",
          requestBody: { required: true, content: { "application/json": { schema: schema(updateTeamInput) } } },
          responses: { 200: json("TeamChange", "The team"), ...errors(400, 401, 403, 404, 409) },
        },
        delete: {
          summary: "Archive a team (admins)",
          operationId: "archiveTeam",
          responses: { 200: json("Team", "The archived team"), ...errors(401, 403, 404, 409) },
        },
      },
      "/api/v1/clusters": {
        get: {
          summary: "The AKS clusters Wharf knows: environment, region, version, reachability, last error",
          operationId: "listClusters",
          responses: { 200: json("ClusterList", "Clusters"), ...errors(401) },
        },
      },
      "/api/v1/namespace-requests": {
        get: {
          summary: "List namespace requests, newest first",
          operationId: "listNamespaceRequests",
          parameters: [
            { name: "status", in: "query", schema: { type: "string", enum: ["pending", "approved", "rejected", "withdrawn"] } },
            { name: "teamId", in: "query", schema: { type: "string", format: "uuid" } },
          ],
          responses: { 200: json("NamespaceRequestList", "Requests"), ...errors(401) },
        },
        post: {
          summary: "Request a namespace for one of your teams; the policy is checked and an admin decides",
          operationId: "requestNamespace",
          requestBody: body(schema(namespaceRequestInput)),
          responses: { 201: json("NamespaceRequest", "The pending request"), ...errors(400, 401, 403) },
        },
      },
      "/api/v1/namespace-requests/{id}": {
        parameters: [idParameter("request")],
        get: {
          summary: "Get a namespace request",
          operationId: "getNamespaceRequest",
          responses: { 200: json("NamespaceRequest", "The request"), ...errors(401, 404) },
        },
      },
      "/api/v1/namespace-requests/{id}/decision": {
        parameters: [idParameter("request")],
        post: {
          summary: "Approve or reject a pending request (admins); exactly one decision counts, a second gets 409",
          operationId: "decideNamespaceRequest",
          requestBody: body(schema(decisionInput)),
          responses: { 200: json("NamespaceDecision", "The decision and the namespace it created or changed"), ...errors(400, 401, 403, 404, 409) },
        },
      },
      "/api/v1/namespace-requests/{id}/withdraw": {
        parameters: [idParameter("request")],
        post: {
          summary: "Withdraw a pending request of your team",
          operationId: "withdrawNamespaceRequest",
          responses: { 200: json("NamespaceRequest", "The withdrawn request"), ...errors(401, 403, 404, 409) },
        },
      },
      "/api/v1/namespaces": {
        get: {
          summary: "List namespaces with status, quota, usage and drift as last reconciled",
          operationId: "listNamespaces",
          parameters: [
            { name: "teamId", in: "query", schema: { type: "string", format: "uuid" } },
            { name: "clusterId", in: "query", schema: { type: "string", format: "uuid" } },
            { name: "includeDecommissioned", in: "query", schema: { type: "boolean" } },
          ],
          responses: { 200: json("NamespaceList", "Namespaces"), ...errors(401) },
        },
      },
      "/api/v1/namespaces/{id}": {
        parameters: [idParameter("namespace")],
        get: {
          summary: "Get a namespace and its requests (poll this to follow provisioning)",
          operationId: "getNamespace",
          responses: { 200: json("NamespaceDetail", "The namespace"), ...errors(401, 404) },
        },
      },
      "/api/v1/namespaces/{id}/quota-change": {
        parameters: [idParameter("namespace")],
        post: {
          summary: "Request a quota change; goes through approval",
          operationId: "requestQuotaChange",
          requestBody: body(schema(quotaChangeInput)),
          responses: { 201: json("NamespaceRequest", "The pending request"), ...errors(400, 401, 403, 404, 409) },
        },
      },
      "/api/v1/namespaces/{id}/decommission": {
        parameters: [idParameter("namespace")],
        post: {
          summary: "Request decommissioning (deletes the namespace on the cluster after approval; the record stays)",
          operationId: "requestDecommission",
          requestBody: body({
            type: "object",
            required: ["confirmName", "justification"],
            properties: {
              confirmName: { type: "string", description: "The namespace's name, typed to confirm." },
              justification: { type: "string", minLength: 10 },
            },
          }),
          responses: { 201: json("NamespaceRequest", "The pending request"), ...errors(400, 401, 403, 404, 409) },
        },
      },
      "/api/v1/namespaces/{id}/reapply": {
        parameters: [idParameter("namespace")],
        post: {
          summary: "Retry a failed provisioning (team) or re-apply a drifted namespace (admins)",
          operationId: "reapplyNamespace",
          responses: { 200: json("Namespace", "The namespace, provisioning again"), ...errors(401, 403, 404, 409) },
        },
      },
      "/api/v1/namespace-policies": {
        get: {
          summary: "The policy of each environment: namespace ceilings and request rules, and whether deployments wait for a second person's approval",
          operationId: "listNamespacePolicies",
          responses: { 200: json("NamespacePolicyList", "Policies"), ...errors(401) },
        },
        put: {
          summary: "Replace one environment's policy (admins); deployments already waiting for approval keep waiting",
          operationId: "setNamespacePolicy",
          requestBody: body(schema(namespacePolicyInput)),
          responses: { 200: json("NamespacePolicy", "The policy"), ...errors(400, 401, 403) },
        },
      },
      "/api/v1/notifications": {
        get: {
          summary: "Your latest notifications and how many are unread",
          operationId: "listNotifications",
          responses: { 200: json("NotificationList", "Notifications"), ...errors(401) },
        },
        post: {
          summary: "Mark all your notifications read",
          operationId: "markNotificationsRead",
          responses: { 200: json("NotificationsMarked", "How many were marked"), ...errors(401, 403) },
        },
      },
      "/api/v1/deployments": {
        get: {
          summary: "Deployment history, newest first (session or a pipeline's bearer token)",
          operationId: "listDeployments",
          security: [{ session: [] }, { pipelineToken: [] }],
          parameters: [
            { name: "service", in: "query", schema: { type: "string" }, description: "A service slug." },
            {
              name: "cluster",
              in: "query",
              schema: { type: "string" },
              description: "An AKS cluster's name, as Wharf lists it; with namespace, that namespace's name on it.",
            },
            {
              name: "namespace",
              in: "query",
              schema: { type: "string" },
              description: "A namespace id; or, with cluster, the namespace's name on that cluster.",
            },
            { name: "environment", in: "query", schema: { type: "string", enum: [...environments] }, description: "The namespace's environment." },
            {
              name: "status",
              in: "query",
              schema: { type: "string" },
              description: `Comma-separated statuses among ${deploymentStatuses.join(", ")}, e.g. succeeded,failed.`,
            },
            {
              name: "requestedBy",
              in: "query",
              schema: { type: "string", format: "uuid" },
              description: "The id of the person who asked for the deployment.",
            },
            { name: "limit", in: "query", schema: { type: "integer", maximum: 200, default: 50 } },
            {
              name: "before",
              in: "query",
              schema: { type: "string", format: "uuid" },
              description: "The next, older page: the id the previous page's Link header gives.",
            },
          ],
          responses: {
            200: {
              description: 'A page of deployments; when older ones exist, a Link header with rel="next" gives the query for the next page',
              headers: { Link: { description: '<…&before=<id>>; rel="next"', schema: { type: "string" } } },
              content: { "application/json": { schema: { $ref: "#/components/schemas/DeploymentList" } } },
            },
            ...errors(400, 401, 403, 503),
          },
        },
        post: {
          summary:
            "Deploy an image tag or digest (with the tag it was picked as, checked against the registry) of a service to a team namespace " +
            "(session or a pipeline's bearer token)",
          operationId: "createDeployment",
          security: [{ session: [] }, { pipelineToken: [] }],
          parameters: [
            {
              name: "Idempotency-Key",
              in: "header",
              required: false,
              schema: { type: "string", minLength: 1, maxLength: 255, pattern: "^[A-Za-z0-9\\-_.:~+/=]+$" },
              description:
                "A unique value per intended deployment (e.g. a UUID or the pipeline's run id), so a retry after a timeout deploys once. " +
                "Kept 24 hours per caller (a person's and a pipeline's keys never meet). The same key with the same body (JSON compared " +
                "whatever its key order) answers the first 201 again, with Idempotent-Replayed: true; with another body, 422. A retry " +
                "that arrives while the first request is still running waits for it. Only a created deployment is remembered: a " +
                'refused request (400, 409) can be retried with the same key. Sent bare or as a Structured Field string ("...").',
            },
          ],
          requestBody: body(schema(deployInput)),
          responses: {
            201: {
              description: "The deployment: applying, queued, or awaiting-approval (production); or, for a repeated Idempotency-Key, the first answer",
              headers: {
                "Idempotent-Replayed": {
                  description: "true when this is the stored answer to an earlier request with the same key",
                  schema: { type: "string" },
                },
              },
              content: { "application/json": { schema: { $ref: "#/components/schemas/Deployment" } } },
            },
            ...errors(400, 401, 403, 404, 409, 422, 503),
          },
        },
      },
      "/api/v1/deployments/preview": {
        post: {
          summary: "Render and check a deployment without applying it: YAML, diff against what runs, policy violations",
          operationId: "previewDeployment",
          requestBody: body(schema(previewInput)),
          responses: { 200: json("DeploymentPreview", "The preview"), ...errors(400, 401, 403, 404, 409, 503) },
        },
      },
      "/api/v1/deployments/{id}": {
        parameters: [idParameter("deployment")],
        get: {
          summary: "A deployment with live counts, pods, events and the final reason (poll this from a pipeline)",
          operationId: "getDeployment",
          security: [{ session: [] }, { pipelineToken: [] }],
          responses: { 200: json("Deployment", "The deployment"), ...errors(401, 403, 404, 503) },
        },
      },
      "/api/v1/deployments/{id}/logs": {
        parameters: [idParameter("deployment")],
        get: {
          summary:
            "The last lines of one of the deployment's pods' log (members of the owning team and admins): only a pod of the deployment's service in " +
            "its namespace, else 404; by default the previous container instance when the container restarted and is not ready (a crash loop). " +
            `At most ${maxLogBytes / 1024} KiB; one read per pod shared for ${logCacheMs / 1000} s. A cluster that does not answer: 503 with Retry-After`,
          operationId: "getDeploymentLog",
          parameters: queryParameters(deploymentLogQuery.shape),
          responses: { 200: json("DeploymentLog", "The log's last lines, or why there is none"), ...errors(400, 401, 403, 404, 503) },
        },
      },
      "/api/v1/deployments/{id}/approve": {
        parameters: [idParameter("deployment")],
        post: {
          summary: "Approve a production deployment (another team member or an admin, never the requester)",
          operationId: "approveDeployment",
          responses: { 200: json("Deployment", "The deployment, applying"), ...errors(401, 403, 404, 409) },
        },
      },
      "/api/v1/deployments/{id}/reject": {
        parameters: [idParameter("deployment")],
        post: {
          summary:
            "Reject a production deployment waiting for approval, with a reason (3 to 500 characters) the requester is notified of; the same people " +
            "who may approve, never the requester. Exactly one decision counts, a second gets 409",
          operationId: "rejectDeployment",
          requestBody: body(schema(rejectDeploymentInput)),
          responses: { 200: json("Deployment", "The deployment, rejected"), ...errors(400, 401, 403, 404, 409) },
        },
      },
      "/api/v1/approvals": {
        get: {
          summary:
            "Your approvals inbox: production deployments of your teams (all teams for admins) that someone else requested, each with what it changes " +
            "against what runs now; for platform admins, pending namespace requests. Oldest first.",
          operationId: "listApprovals",
          responses: { 200: json("ApprovalsInbox", "What waits for your decision"), ...errors(401) },
        },
      },
      "/api/v1/approvals/count": {
        get: {
          summary: "How many items wait in your approvals inbox (the badge in the navigation)",
          operationId: "countApprovals",
          responses: { 200: json("ApprovalsCount", "The count"), ...errors(401) },
        },
      },
      "/api/v1/deployments/{id}/cancel": {
        parameters: [idParameter("deployment")],
        post: {
          summary: "Cancel a deployment; a running rollout is rolled back to the last successful revision",
          operationId: "cancelDeployment",
          responses: { 200: json("Cancellation", "What the cancel did"), ...errors(401, 403, 404, 409) },
        },
      },
      "/api/v1/deployments/{id}/rollback": {
        parameters: [idParameter("deployment")],
        post: {
          summary: "Roll back to this (successful) revision: re-applies its manifest as a new deployment",
          operationId: "rollbackDeployment",
          responses: { 201: json("Deployment", "The new deployment"), ...errors(401, 403, 404, 409, 503) },
        },
      },
      "/api/v1/boards": {
        get: {
          summary: "Wall boards, with whether you may manage each",
          operationId: "listBoards",
          responses: { 200: json("BoardList", "Boards"), ...errors(401) },
        },
        post: {
          summary:
            "Create a wall board: admins for everyone (teamId null) or any team, members for their own teams. Tiles are validated (kinds, grid, " +
            "overlaps; teams and services must exist).",
          operationId: "createBoard",
          requestBody: body(schema(createBoardInput)),
          responses: { 201: json("Board", "The board"), ...errors(400, 401, 403, 409) },
        },
      },
      "/api/v1/boards/{slug}": {
        parameters: [slugParameter("board")],
        get: {
          summary: "A wall board, with its screens when you manage it",
          operationId: "getBoard",
          responses: { 200: json("BoardDetail", "The board"), ...errors(401, 404) },
        },
        patch: {
          summary: "Change a board's name, owning team or tiles; its screens refetch within seconds",
          operationId: "updateBoard",
          requestBody: body(schema(updateBoardInput)),
          responses: { 200: json("Board", "The board"), ...errors(400, 401, 403, 404) },
        },
        delete: {
          summary: "Delete a board and its screens' display tokens",
          operationId: "deleteBoard",
          responses: {
            200: {
              description: "Deleted",
              content: {
                "application/json": {
                  schema: { type: "object", required: ["slug", "deleted"], properties: { slug: { type: "string" }, deleted: { type: "boolean" } } },
                },
              },
            },
            ...errors(401, 403, 404),
          },
        },
      },
      "/api/v1/boards/{slug}/displays": {
        parameters: [slugParameter("board")],
        post: {
          summary: "Create a display token for one screen of this board: shown in this response only, stored hashed, with an expiry (decision 0026)",
          operationId: "createDisplay",
          requestBody: body(schema(createDisplayInput)),
          responses: { 201: json("DisplayToken", "The screen and its token"), ...errors(400, 401, 403, 404) },
        },
      },
      "/api/v1/boards/{slug}/pairings": {
        parameters: [slugParameter("board")],
        post: {
          summary:
            "Pair a new screen with the code it shows (/display/pair), as a TV app pairs: the screen opens this board within seconds, " +
            "its secret never leaving it. A malformed, unknown, expired or used code each says which, and nothing is paired.",
          operationId: "pairDisplay",
          requestBody: body(schema(pairDisplayInput)),
          responses: { 201: json("Display", "The paired screen"), ...errors(400, 401, 403, 404, 409) },
        },
      },
      "/api/v1/boards/{slug}/displays/{id}": {
        parameters: [slugParameter("board"), idParameter("screen")],
        delete: {
          summary: "Revoke a screen: its stream ends and it says so within seconds",
          operationId: "revokeDisplay",
          responses: { 200: json("Display", "The revoked screen"), ...errors(401, 403, 404, 409) },
        },
      },
      "/api/v1/playlists": {
        get: {
          summary: "Playlists: boards a screen shows in turn, with whether you may manage each",
          operationId: "listPlaylists",
          responses: { 200: json("PlaylistList", "Playlists"), ...errors(401) },
        },
        post: {
          summary:
            "Create a playlist (decision 0036): boards in order, each for 10 to 3600 seconds; admins for everyone (teamId null) or any team, members " +
            "for their own teams. Its slug shares the boards' addresses.",
          operationId: "createPlaylist",
          requestBody: body(schema(createPlaylistInput)),
          responses: { 201: json("Playlist", "The playlist"), ...errors(400, 401, 403, 409) },
        },
      },
      "/api/v1/playlists/{slug}": {
        parameters: [slugParameter("playlist")],
        get: {
          summary: "A playlist, with its screens when you manage it",
          operationId: "getPlaylist",
          responses: { 200: json("PlaylistDetail", "The playlist"), ...errors(401, 404) },
        },
        patch: {
          summary: "Change a playlist's name, owning team or boards; its screens pick up the new rotation without a reload",
          operationId: "updatePlaylist",
          requestBody: body(schema(updatePlaylistInput)),
          responses: { 200: json("Playlist", "The playlist"), ...errors(400, 401, 403, 404) },
        },
        delete: {
          summary: "Delete a playlist and its screens' display tokens (its boards stay)",
          operationId: "deletePlaylist",
          responses: {
            200: {
              description: "Deleted",
              content: {
                "application/json": {
                  schema: { type: "object", required: ["slug", "deleted"], properties: { slug: { type: "string" }, deleted: { type: "boolean" } } },
                },
              },
            },
            ...errors(401, 403, 404),
          },
        },
      },
      "/api/v1/playlists/{slug}/displays": {
        parameters: [slugParameter("playlist")],
        post: {
          summary: "Create a display token for one screen of this playlist: shown in this response only, stored hashed, with an expiry",
          operationId: "createPlaylistDisplay",
          requestBody: body(schema(createDisplayInput)),
          responses: { 201: json("DisplayToken", "The screen and its token"), ...errors(400, 401, 403, 404) },
        },
      },
      "/api/v1/playlists/{slug}/pairings": {
        parameters: [slugParameter("playlist")],
        post: {
          summary: "Pair a new screen with the code it shows: it opens this playlist within seconds (as for a board)",
          operationId: "pairPlaylistDisplay",
          requestBody: body(schema(pairDisplayInput)),
          responses: { 201: json("Display", "The paired screen"), ...errors(400, 401, 403, 404, 409) },
        },
      },
      "/api/v1/playlists/{slug}/displays/{id}": {
        parameters: [slugParameter("playlist"), idParameter("screen")],
        delete: {
          summary: "Revoke a playlist's screen: its stream ends and it says so within seconds",
          operationId: "revokePlaylistDisplay",
          responses: { 200: json("Display", "The revoked screen"), ...errors(401, 403, 404, 409) },
        },
      },
      "/api/v1/pipeline-identities": {
        get: {
          summary: "Pipeline identities allowed to deploy with a bearer token (admins)",
          operationId: "listPipelineIdentities",
          responses: { 200: json("PipelineIdentityList", "Identities"), ...errors(401, 403) },
        },
        post: {
          summary: "Register a pipeline's Entra app for some teams (admins)",
          operationId: "addPipelineIdentity",
          requestBody: body(schema(pipelineIdentityInput)),
          responses: { 201: json("PipelineIdentity", "The identity"), ...errors(400, 401, 403, 409) },
        },
      },
      "/api/v1/pipeline-identities/{id}": {
        parameters: [idParameter("pipeline identity")],
        delete: {
          summary: "Revoke a pipeline identity (admins); its tokens stop working at once",
          operationId: "revokePipelineIdentity",
          responses: { 200: json("PipelineIdentity", "The revoked identity"), ...errors(401, 403, 404) },
        },
      },
      "/api/v1/stream": {
        get: {
          summary:
            "Server-sent events for live views: ?topic=deployment:<id>&topic=namespace:<id> (1 to 20); notifications:me for the signed-in person's " +
            "own notifications; approvals:inbox when something enters or leaves an approvals inbox (refetch GET /api/v1/approvals); health:fleet " +
            "after each health poll. A deployment topic gets a `view` event with {topic, view}, the fields of GET /api/v1/deployments/{id} that move " +
            "(id, status, inFlight, reason, message, counts, pods, events, needsApproval, approvedBy, approvedAt, queuedAt, cancelledBy, rejection, " +
            "startedAt, finishedAt, updatedAt, durationSeconds), on every change; other topics get a `change` event naming what changed, to fetch " +
            "through the API. A `ready` event follows once every topic is subscribed: fetch (or refetch) then, and no change after it is missed. " +
            "The server closes a stream after 10 minutes; reconnect (EventSource does) and fetch once to catch up.",
          operationId: "streamChanges",
          parameters: [{ name: "topic", in: "query", required: true, schema: { type: "array", items: { type: "string" } }, style: "form", explode: true }],
          responses: { 200: { description: "text/event-stream", content: { "text/event-stream": { schema: { type: "string" } } } }, ...errors(400, 401) },
        },
      },
      "/api/v1/health": {
        get: {
          summary:
            "Every service × environment's health, a page at a time (page, pageSize; worst first unless sort says otherwise), from the poller's " +
            "snapshots; a snapshot older than two poll cycles is unknown with its age as the reason. counts and total cover every page. Same filters, " +
            "order and paging as the /health page.",
          operationId: "listServiceHealth",
          parameters: queryParameters(healthQuery.shape),
          responses: {
            200: json("HealthList", "One page of health entries, counts per state over every page, and workspaces that could not be queried"),
            ...errors(400, 401),
          },
        },
      },
      "/api/v1/health-thresholds": {
        get: {
          summary: "The health thresholds of each service tier (an admin's, or Wharf's defaults)",
          operationId: "getHealthThresholds",
          responses: { 200: json("HealthThresholdsList", "One entry per tier"), ...errors(401) },
        },
        put: {
          summary:
            "Replace one tier's health thresholds (admins). Every problem is named in one 400 (field: what to change); the poller applies the new " +
            "thresholds from its next cycle.",
          operationId: "setHealthThresholds",
          requestBody: body(schema(setHealthThresholdsInput)),
          responses: { 200: json("TierThresholds", "The tier's thresholds as stored"), ...errors(400, 401, 403) },
        },
      },
      "/api/v1/jobs": {
        get: {
          summary: "Recent running, retrying and failed background jobs (admins)",
          operationId: "listJobs",
          parameters: queryParameters(jobFilter.shape),
          responses: { 200: json("JobList", "Jobs"), ...errors(400, 401, 403) },
        },
      },
      "/api/v1/jobs/{id}/retry": {
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" }, description: "The job's id." }],
        post: {
          summary: "Run a failed job again, with a fresh retry time (admins)",
          operationId: "retryJob",
          responses: { 200: json("Job", "The job, queued again"), ...errors(400, 401, 403, 404, 409) },
        },
      },
      "/api/v1/openapi.json": {
        get: {
          summary: "This document",
          operationId: "openApiDocument",
          security: [],
          responses: {
            200: { description: "The OpenAPI 3.1 document", content: { "application/json": { schema: { type: "object", required: ["openapi", "paths"] } } } },
          },
        },
      },
      "/api/v1/me": { get: { summary: "The signed-in user, role and teams", operationId: "me", responses: { 200: json("Me", "You"), ...errors(401) } } },
      "/api/v1/platform-admins": {
        get: {
          summary:
            "Wharf's platform admins, whom a refusal of an admin-only action says to ask: whoever had the admin app role or group at " +
            "their last sign-in (someone made admin since who has not signed in yet is not listed)",
          operationId: "listPlatformAdmins",
          responses: { 200: json("PlatformAdminList", "Platform admins by name"), ...errors(401) },
        },
      },
      "/api/v1/audit-events": {
        get: {
          summary: "Audit log (admins)",
          operationId: "listAuditEvents",
          parameters: queryParameters(auditFilter.shape),
          responses: { 200: json("AuditEventList", "Events, newest first"), ...errors(400, 401, 403) },
        },
      },
      // Cost (issue 14): stored Cost Management rows allocated by Wharf's own samples, never a call to Azure per request.
      "/api/v1/costs": {
        get: {
          summary:
            "Billed cost per day and per team, namespace, cluster or service, in the bill's currency (integer minor units). An admin's view adds up " +
            "to the bill to the cent, with idle capacity, system namespaces and cost no group takes as lines apart; a team member sees only their " +
            "teams' figures. With data as of and the sync's state. 400 for a backwards range, one over a year or an unknown groupBy.",
          operationId: "getCosts",
          parameters: queryParameters(costQuery.shape),
          responses: { 200: json("CostView", "Cost for the range"), ...errors(400, 401, 403) },
        },
      },
      "/api/v1/costs/export": {
        get: {
          summary:
            "The same figures as GET /api/v1/costs, as CSV: one row per day and line (day, group, label, line kind, amount as an exact decimal, currency)",
          operationId: "exportCosts",
          parameters: queryParameters(costQuery.shape),
          responses: { 200: { description: "CSV", content: { "text/csv": { schema: { type: "string" } } } }, ...errors(400, 401, 403) },
        },
      },
      "/api/v1/costs/sync": {
        post: {
          summary: "Sync cost from Cost Management now (admins): queues the sync job; figures change when it finishes",
          operationId: "requestCostSync",
          responses: { 202: json("CostSyncRequest", "Queued, or already queued or running"), ...errors(401, 403) },
        },
      },
      "/api/v1/costs/allocation-rule": {
        get: {
          summary:
            "How idle capacity (node capacity nobody requested) and system namespaces' cost (kube-system and AKS's own) are allocated: " +
            "proportional, even or apart each, as an admin chose (apart and apart by default), and the months still being re-allocated",
          operationId: "getCostAllocationRule",
          responses: { 200: json("CostAllocationRule", "The rule in force"), ...errors(401, 403) },
        },
        put: {
          summary:
            "Choose the allocation rule (admins). Every month with a stored allocation is marked and re-allocated under it by the cost.sample job " +
            "within a minute or so; the same rule again changes nothing. 400 names the field and the allowed values",
          operationId: "setCostAllocationRule",
          requestBody: body(schema(allocationRuleInput)),
          responses: { 200: json("CostAllocationRuleChange", "Saved, or unchanged"), ...errors(400, 401, 403) },
        },
      },
      "/api/v1/costs/budgets": {
        get: {
          summary:
            "Monthly cost budgets you may see (your teams'; all for admins): this month's actual cost against each, the forecast (month-to-date run " +
            "rate projected to month end), the thresholds crossed and notified, and the teams whose budget you may set",
          operationId: "listCostBudgets",
          responses: { 200: json("CostBudgetList", "Budgets"), ...errors(401, 403) },
        },
      },
      "/api/v1/costs/budgets/{team}": {
        parameters: [{ name: "team", in: "path", required: true, schema: { type: "string" }, description: "The team's slug." }],
        put: {
          summary:
            "Set or replace a team's monthly budget (members of the team, admins), in the bill's currency; its members are notified once per " +
            "threshold per month when a sync finds the month's actual cost or forecast over one. 400 for an amount of 0 or less, text, or a threshold " +
            "outside 1–1000 %; 409 before any cost is stored (the currency is unknown)",
          operationId: "setCostBudget",
          requestBody: body(schema(budgetInput)),
          responses: { 200: json("CostBudget", "The budget and this month against it"), ...errors(400, 401, 403, 404, 409) },
        },
        delete: {
          summary: "Remove a team's budget (members of the team, admins)",
          operationId: "deleteCostBudget",
          responses: { 200: json("CostBudgetRemoval", "Removed"), ...errors(401, 403, 404, 409) },
        },
      },
      // Application map (issue 13): read from the stored snapshot, never from Azure.
      "/api/v1/map": {
        get: {
          summary:
            "The application map: services, roles no service claims and external dependencies, the observed calls between them with their figures, " +
            "declared dependencies not seen in 7 days, and stored positions",
          operationId: "getMap",
          parameters: Object.entries(mapQuery.shape).map(([name, field]) => ({
            name,
            in: "query",
            required: false,
            schema: schema(field as z.ZodType),
            description: (field as z.ZodType).description,
          })),
          responses: {
            200: {
              description: "The map; builtAt null until a health cycle has built it",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    required: ["window", "environment", "team", "builtAt", "laidOutAt", "nodes", "edges", "notSeen", "sources", "refreshError"],
                    properties: {
                      window: { type: "string", enum: ["1h", "24h", "7d"] },
                      environment: { type: ["string", "null"] },
                      team: { type: ["string", "null"] },
                      builtAt: { type: ["string", "null"], format: "date-time" },
                      laidOutAt: { type: ["string", "null"], format: "date-time" },
                      refreshError: {
                        type: ["object", "null"],
                        description: "Set while the map's refreshes fail (the map shown is the last one built): the error, since when, the last try",
                        required: ["message", "since", "lastAttemptAt"],
                        properties: {
                          message: { type: "string" },
                          since: { type: "string", format: "date-time" },
                          lastAttemptAt: { type: "string", format: "date-time" },
                        },
                      },
                      nodes: {
                        type: "array",
                        items: {
                          type: "object",
                          required: ["id", "kind", "label", "team", "health", "position"],
                          properties: {
                            id: { type: "string", description: "svc:<slug>, role:<role name>, ext:<type>:<target> or ext-group:<type>" },
                            kind: { type: "string", enum: ["service", "unknown", "external", "external-group"] },
                            label: { type: "string" },
                            team: { type: ["object", "null"], properties: { slug: { type: "string" }, name: { type: "string" } } },
                            serviceSlug: { type: "string" },
                            role: { type: "string" },
                            dependencyType: { type: "string" },
                            target: { type: "string" },
                            targetCount: { type: "integer" },
                            health: { type: ["string", "null"], enum: ["healthy", "degraded", "unhealthy", "unknown", null] },
                            position: { type: "object", required: ["x", "y"], properties: { x: { type: "number" }, y: { type: "number" } } },
                          },
                        },
                      },
                      edges: {
                        type: "array",
                        items: {
                          type: "object",
                          required: ["id", "source", "target", "calls", "failedCalls", "declaration", "selfCall", "stale"],
                          properties: {
                            id: { type: "string" },
                            source: { type: "string" },
                            target: { type: "string" },
                            calls: { type: "number", description: "Weighted by ItemCount (sampling)" },
                            failedCalls: { type: "number" },
                            failurePct: { type: ["number", "null"] },
                            avgMs: { type: ["number", "null"] },
                            p95Ms: { type: ["number", "null"] },
                            declaration: { type: "string", enum: ["declared", "undeclared", "not-applicable"] },
                            selfCall: { type: "boolean" },
                            stale: { type: "boolean", description: "Part of its figures come from a workspace whose last fetch failed or is old" },
                            recent: {
                              type: "object",
                              description:
                                "Its calls in the last minutes before the latest 1-hour fetch (absent when none is current); " +
                                "the map colours an edge by the worse of this and the window's rate",
                              required: ["minutes", "calls", "failedCalls", "failurePct"],
                              properties: {
                                minutes: { type: "integer" },
                                calls: { type: "number" },
                                failedCalls: { type: "number" },
                                failurePct: { type: ["number", "null"] },
                              },
                            },
                          },
                        },
                      },
                      notSeen: { type: "array", items: { type: "object", properties: { from: { type: "string" }, to: { type: "string" } } } },
                      sources: {
                        type: "array",
                        items: {
                          type: "object",
                          properties: {
                            workspace: { type: "string" },
                            fetchedAt: { type: ["string", "null"], format: "date-time" },
                            error: { type: ["string", "null"] },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
            ...errors(400, 401, 403),
          },
        },
      },
      "/api/v1/map/edges/{source}/{target}/operations": {
        parameters: (["source", "target"] as const).map((name) => ({
          name,
          in: "path",
          required: true,
          schema: { type: "string" },
          description:
            `The ${name} node's id as GET /api/v1/map returns it ` + "(svc:<slug>, role:<role name>, ext:<type>:<target>, ext-group:<type>), URL-encoded.",
        })),
        get: {
          summary:
            "One edge's top failing operations (calls, failures, p95, most frequent failing result code) and its most frequent result codes, " +
            "asked of Log Analytics on demand: shared per edge for a few minutes (at most one query per edge per minute), " +
            `at most ${edgeOperationsRateLimit.limit} requests a minute per user`,
          operationId: "getMapEdgeOperations",
          parameters: queryParameters(edgeOperationsParams.shape),
          responses: {
            200: json("MapEdgeOperations", "The edge's operations and result codes"),
            ...errors(400, 401, 403, 404, 429, 503),
          },
        },
      },
    },
    components: {
      securitySchemes: {
        session: { type: "apiKey", in: "cookie", name: "wharf_session" },
        pipelineToken: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description:
            "An Entra ID access token for Wharf's API from a pipeline's app identity (client credentials), with the app role Wharf.Deployer, " +
            "registered under Admin → Pipelines.",
        },
      },
      schemas: {
        Error: errorSchema,
        MapEdgeOperations: schema(edgeOperationsViewSchema, "output"),
        ServiceInput: schema(serviceInput),
        Service: schema(views.serviceView, "output"),
        ServiceDetail: schema(views.serviceDetail, "output"),
        ServiceEnvironment: schema(serviceEnvironmentSchema, "output"),
        HealthList: schema(healthListSchema, "output"),
        TierThresholds: schema(tierThresholdsViewSchema, "output"),
        HealthThresholdsList: {
          type: "object",
          required: ["tiers"],
          properties: { tiers: { type: "array", items: { $ref: "#/components/schemas/TierThresholds" } } },
        },
        Team: schema(views.teamView, "output"),
        TeamList: schema(views.teamList, "output"),
        TeamDetail: schema(views.teamDetail, "output"),
        TeamChange: schema(views.teamChange, "output"),
        ClusterList: schema(views.clusterList, "output"),
        Namespace: schema(views.namespaceView, "output"),
        NamespaceList: { type: "array", items: { $ref: "#/components/schemas/Namespace" } },
        NamespaceDetail: schema(views.namespaceDetail, "output"),
        NamespaceRequest: schema(views.namespaceRequestView, "output"),
        NamespaceRequestList: { type: "array", items: { $ref: "#/components/schemas/NamespaceRequest" } },
        NamespaceDecision: schema(views.namespaceDecision, "output"),
        NamespacePolicy: schema(views.environmentPolicy, "output"),
        NamespacePolicyList: { type: "array", items: { $ref: "#/components/schemas/NamespacePolicy" } },
        NotificationList: schema(views.notificationList, "output"),
        NotificationsMarked: schema(views.notificationsMarked, "output"),
        Deployment: schema(views.deploymentView, "output"),
        DeploymentLog: schema(deploymentLogView, "output"),
        ImageTags: schema(imageTagsView, "output"),
        DeploymentList: schema(views.deploymentList, "output"),
        Cancellation: schema(views.cancellation, "output"),
        ApprovalsInbox: schema(views.approvalsInbox, "output"),
        ApprovalsCount: schema(views.approvalsCount, "output"),
        DeploymentPreview: schema(views.deploymentPreview, "output"),
        Board: schema(boardViewSchema, "output"),
        BoardList: schema(boardListSchema, "output"),
        BoardDetail: schema(boardDetailSchema, "output"),
        Playlist: schema(playlistViewSchema, "output"),
        PlaylistList: schema(playlistListSchema, "output"),
        PlaylistDetail: schema(playlistDetailSchema, "output"),
        Display: schema(displayViewSchema, "output"),
        DisplayToken: schema(displayTokenSchema, "output"),
        PipelineIdentity: schema(views.pipelineIdentityView, "output"),
        PipelineIdentityList: { type: "array", items: { $ref: "#/components/schemas/PipelineIdentity" } },
        Me: schema(views.me, "output"),
        PlatformAdminList: schema(views.platformAdminList, "output"),
        AuditEventList: schema(views.auditEventList, "output"),
        Job: schema(views.jobView, "output"),
        JobList: schema(views.jobList, "output"),
        ImportPlan: schema(views.importPlan, "output"),
        ImportResult: schema(views.importResult, "output"),
        ServicePage: schema(views.servicePage, "output"),
        CostView: schema(views.costView, "output"),
        CostSyncRequest: schema(views.costSyncRequest, "output"),
        CostBudget: schema(costBudgetView, "output"),
        CostBudgetList: schema(costBudgetList, "output"),
        CostBudgetRemoval: schema(costBudgetRemoval, "output"),
        CostAllocationRule: schema(allocationRuleView, "output"),
        CostAllocationRuleChange: schema(allocationRuleChange, "output"),
      },
    },
  };
}
