// Integration: deploy/kubernetes/wharf-cluster-role.yaml is exactly what the
// README tells admins to grant Wharf on their clusters. Run Wharf's cluster
// work against the sandbox (provision a namespace, deploy and follow a
// rollout, reconcile, decommission), record every Kubernetes request it
// makes, and check each against the ClusterRole's rules, as the API server's
// RBAC authorizer would.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { getPrisma } from "@/lib/db/client";
import { decideNamespaceRequest } from "@/lib/namespaces/decide-namespace-request";
import { reconcileNamespaces } from "@/lib/namespaces/reconcile-namespaces";
import { requestDecommission } from "@/lib/namespaces/change-namespace";
import { decommissionNamespace } from "@/lib/namespaces/decommission-namespace";
import { renderNamespace } from "@/lib/namespaces/render-namespace";
import { suggestedDefaults, suggestedQuota } from "@/lib/namespaces/namespace-input";
import { createDeployment } from "@/lib/deployments/create-deployment";
import { rolloutDeployment } from "@/lib/deployments/rollout-deployment";
import { getDeployment } from "@/lib/deployments/list-deployments";
import { readDeploymentLog } from "@/lib/deployments/read-deployment-log";
import { stopRolloutInformers } from "@/lib/deployments/rollout-informers";
import { RetryableJobError } from "@/lib/jobs/errors";
import { stopBoss } from "@/lib/jobs/boss";
import { createPerson, createServiceRow, createTeam, discoverSandboxClusters, readyNamespace, smallDeploySpec } from "@/lib/test-support/team-fixture";
import { observeKubeRequests } from "./request";

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

const role = parse(readFileSync(join(import.meta.dirname, "..", "..", "deploy", "kubernetes", "wharf-cluster-role.yaml"), "utf8")) as {
  kind: string;
  rules: Rule[];
};

/** What RBAC sees of a request: verb, API group, resource and name (kubernetes/apiserver's RequestInfo, for the paths Wharf uses). */
function requestAttributes(method: string, pathAndQuery: string): { verb: string; group: string; resource: string; name?: string } {
  const url = new URL(pathAndQuery, "https://cluster");
  const parts = url.pathname.split("/").filter(Boolean);
  const [prefix, ...rest] = parts;
  const group = prefix === "api" ? "" : rest.shift()!;
  rest.shift(); // version
  if (rest[0] === "namespaces" && rest.length >= 3) rest.splice(0, 2);
  const [plural, name, subresource] = rest as [string, string | undefined, string | undefined];
  const resource = subresource ? `${plural}/${subresource}` : plural;
  const watch = url.searchParams.get("watch") === "true" || url.searchParams.get("watch") === "1";
  const verb =
    { GET: name ? "get" : watch ? "watch" : "list", POST: "create", PUT: "update", PATCH: "patch", DELETE: name ? "delete" : "deletecollection" }[method] ??
    method.toLowerCase();
  return { verb, group, resource: resource!, name };
}

function allowed(request: { verb: string; group: string; resource: string; name?: string }): boolean {
  return role.rules.some(
    (rule) =>
      rule.verbs.includes(request.verb) &&
      (rule.apiGroups ?? []).includes(request.group) &&
      (rule.resources ?? []).includes(request.resource) &&
      (!rule.resourceNames || (request.name !== undefined && rule.resourceNames.includes(request.name))),
  );
}

const suffix = randomBytes(3).toString("hex");
const group = `0c9d7e8f-6666-4c6a-9f00-${randomBytes(6).toString("hex")}`;
const seen = new Map<string, { method: string; path: string }>();
let stopObserving: () => void;

beforeAll(() => {
  stopObserving = observeKubeRequests((event) => {
    if (event.phase !== "start") return;
    const { verb, group: apiGroup, resource } = requestAttributes(event.method, event.path);
    seen.set(`${verb} ${apiGroup}/${resource}`, { method: event.method, path: event.path });
  });
});

afterAll(async () => {
  stopObserving();
  stopRolloutInformers();
  await stopBoss();
});

describe("Wharf's ClusterRole", () => {
  it("maps request paths as the API server's RBAC does", () => {
    expect(requestAttributes("GET", "/apis/apps/v1/deployments?labelSelector=a%3Db&watch=true&resourceVersion=5")).toEqual({
      verb: "watch",
      group: "apps",
      resource: "deployments",
      name: undefined,
    });
    expect(requestAttributes("GET", "/api/v1/namespaces/team-a/resourcequotas/wharf-quota")).toEqual({
      verb: "get",
      group: "",
      resource: "resourcequotas",
      name: "wharf-quota",
    });
    expect(requestAttributes("PATCH", "/api/v1/namespaces/team-a?fieldManager=wharf")).toEqual({
      verb: "patch",
      group: "",
      resource: "namespaces",
      name: "team-a",
    });
    expect(requestAttributes("GET", "/api/v1/namespaces")).toEqual({ verb: "list", group: "", resource: "namespaces", name: undefined });
    expect(requestAttributes("DELETE", "/apis/networking.k8s.io/v1/namespaces/team-a/networkpolicies/x")).toMatchObject({
      verb: "delete",
      group: "networking.k8s.io",
      resource: "networkpolicies",
    });
    expect(requestAttributes("GET", "/api/v1/namespaces/team-a/pods/web-1/log?tailLines=5")).toEqual({
      verb: "get",
      group: "",
      resource: "pods/log",
      name: "web-1",
    });
    expect(allowed({ verb: "delete", group: "", resource: "pods" })).toBe(false);
    expect(allowed({ verb: "create", group: "", resource: "pods/exec" })).toBe(false);
    expect(allowed({ verb: "create", group: "rbac.authorization.k8s.io", resource: "clusterrolebindings" })).toBe(false);
  });

  it("allows every request Wharf makes to provision, deploy, follow, reconcile and decommission", async () => {
    const prisma = getPrisma();
    const team = await createTeam(`rb${suffix}`, `RBAC ${suffix}`, { group, costCenter: "CC-1" });
    const member = await createPerson("Rita Member", { teams: [team], group });
    const admin = await createPerson("Arne Admin", { isAdmin: true });
    await discoverSandboxClusters({ "aks-dev-weu": "dev" });
    const cluster = await prisma.cluster.findFirstOrThrow({ where: { name: "aks-dev-weu" } });

    const name = `rb${suffix}-dev`;
    const namespaceId = await readyNamespace({ requester: member, approver: admin, teamId: team.id, name, justification: "RBAC coverage of Wharf's requests" });

    const slug = await createServiceRow(`rb-api-${suffix}`, team.id, smallDeploySpec(`contoso.azurecr.io/rb/rb-api-${suffix}`));
    const deployment = await createDeployment({ actor: member, input: { service: slug, namespaceId, tag: "1.0.0" } });
    await rolloutDeployment({ deploymentId: deployment.id, timing: {} });
    expect((await prisma.deployment.findUniqueOrThrow({ where: { id: deployment.id } })).status).toBe("succeeded");
    const pod = (await getDeployment({ actor: member, id: deployment.id })).pods[0]!.name;
    expect((await readDeploymentLog({ actor: member, deploymentId: deployment.id, query: { pod } })).lines.length).toBeGreaterThan(0);

    await reconcileNamespaces({ clusterId: cluster.id });
    const decommission = await requestDecommission({
      actor: member,
      namespaceId,
      input: { confirmName: name, justification: "RBAC coverage is done" },
    });
    await decideNamespaceRequest({ actor: admin, requestId: decommission.id, input: { decision: "approve" } });
    for (let attempt = 0; ; attempt++) {
      try {
        await decommissionNamespace({ namespaceId });
        break;
      } catch (error) {
        if (!(error instanceof RetryableJobError) || attempt > 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }

    // The flow really ran: applies, reads, list + watch, and the namespace's deletion were all seen.
    expect([...seen.keys()]).toEqual(
      expect.arrayContaining([
        "patch /namespaces",
        "patch rbac.authorization.k8s.io/rolebindings",
        "patch apps/deployments",
        "watch /pods",
        "watch /events",
        "list apps/replicasets",
        "get /pods/log",
        "list /nodes",
        "list /pods",
        "delete /namespaces",
      ]),
    );
    const refused = [...seen].filter(([key]) => {
      const [verb, groupAndResource] = key.split(" ") as [string, string];
      const slash = groupAndResource.indexOf("/");
      const [apiGroup, resource] = [groupAndResource.slice(0, slash), groupAndResource.slice(slash + 1)];
      return !allowed({ verb, group: apiGroup, resource });
    });
    expect(refused.map(([key, request]) => `${key} (${request.method} ${request.path})`)).toEqual([]);
  }, 120_000);

  it("lets Wharf bind exactly the roles its role bindings name", () => {
    const bindings = renderNamespace({
      name: "team-a",
      team: { slug: "team", entraGroupIds: ["g"] },
      costCenter: "CC-1",
      environment: "dev",
      quota: suggestedQuota,
      containerDefaults: suggestedDefaults,
      ingressNamespace: "app-routing-system",
    }).filter((object) => object.kind === "RoleBinding") as unknown as { roleRef: { kind: string; name: string } }[];
    expect(bindings.length).toBeGreaterThan(0);
    for (const binding of bindings) {
      expect(binding.roleRef.kind).toBe("ClusterRole");
      expect(allowed({ verb: "bind", group: "rbac.authorization.k8s.io", resource: "clusterroles", name: binding.roleRef.name })).toBe(true);
    }
    expect(allowed({ verb: "bind", group: "rbac.authorization.k8s.io", resource: "clusterroles", name: "cluster-admin" })).toBe(false);
  });
});
