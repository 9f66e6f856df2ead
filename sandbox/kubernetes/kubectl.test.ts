// Contract tests through kubectl 1.32: discovery, OpenAPI v3, server-side
// tables, client- and server-side apply, strict field validation and
// namespace deletion with --wait, as a platform engineer would use it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasKubectl, kubectlFor, kubectlSkipReason, startTestApiServer, type KubectlResult, type TestApiServer } from "./test-harness";

let server: TestApiServer;
let kubectl: (args: string[], stdin?: string) => Promise<KubectlResult>;

const manifest = (namespace: string, replicas: number, image = "wharfacr.azurecr.io/web:1.0.0"): string => `apiVersion: v1
kind: Namespace
metadata:
  name: ${namespace}
  labels:
    wharf.io/team: payments
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${namespace}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
      - name: web
        image: ${image}
        ports:
        - containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: ${namespace}
spec:
  selector: { app: web }
  ports:
  - port: 80
    targetPort: 8080
`;

function lines(result: KubectlResult): string[][] {
  return result.stdout
    .trim()
    .split("\n")
    .map((line) => line.trim().split(/\s+/));
}

describe.skipIf(!hasKubectl)(`kubectl 1.32 against the sandbox${hasKubectl ? "" : ` (${kubectlSkipReason})`}`, () => {
  beforeAll(async () => {
    server = await startTestApiServer();
    kubectl = kubectlFor(server);
  });
  afterAll(() => server?.close());

  it("kubectl get ns prints the server's table", async () => {
    const result = await kubectl(["get", "ns"]);
    expect(result.code, result.stderr).toBe(0);
    const [header, ...rows] = lines(result);
    expect(header).toEqual(["NAME", "STATUS", "AGE"]);
    expect(rows.map((row) => row[0])).toEqual(["default", "ingress-nginx", "kube-node-lease", "kube-public", "kube-system"]);
    expect(rows.every((row) => row[1] === "Active")).toBe(true);
  });

  it("kubectl apply -f creates, reports unchanged on a repeat, configures a change; kubectl get deploy shows it", async () => {
    const created = await kubectl(["apply", "-f", "-"], manifest("team-cli", 2));
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout.trim().split("\n")).toEqual(["namespace/team-cli created", "deployment.apps/web created", "service/web created"]);
    const repeated = await kubectl(["apply", "-f", "-"], manifest("team-cli", 2));
    expect(repeated.stdout.trim().split("\n")).toEqual(["namespace/team-cli unchanged", "deployment.apps/web unchanged", "service/web unchanged"]);
    const changed = await kubectl(["apply", "-f", "-"], manifest("team-cli", 3, "wharfacr.azurecr.io/web:1.1.0"));
    expect(changed.stdout).toContain("deployment.apps/web configured");

    const deployments = await kubectl(["get", "deploy", "-n", "team-cli"]);
    expect(deployments.code, deployments.stderr).toBe(0);
    const [header, row] = lines(deployments);
    expect(header).toEqual(["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]);
    expect(row?.slice(0, 4)).toEqual(["web", "0/3", "0", "0"]);
    const json = JSON.parse((await kubectl(["get", "deploy", "web", "-n", "team-cli", "-o", "json"])).stdout) as {
      spec: { template: { spec: { containers: { image: string }[] } } };
      metadata: { generation: number };
    };
    expect(json.spec.template.spec.containers[0]?.image).toBe("wharfacr.azurecr.io/web:1.1.0");
    expect(json.metadata.generation).toBe(2);
    const services = lines(await kubectl(["get", "svc", "-n", "team-cli"]));
    expect(services[0]).toEqual(["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]);
    expect(services[1]?.[4]).toBe("80/TCP");
  });

  it("kubectl apply --server-side is idempotent and reports conflicts with other managers", async () => {
    const first = await kubectl(["apply", "--server-side", "-f", "-"], manifest("team-ssa", 2));
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.trim().split("\n")).toEqual([
      "namespace/team-ssa serverside-applied",
      "deployment.apps/web serverside-applied",
      "service/web serverside-applied",
    ]);
    const version = async (): Promise<string> =>
      (await kubectl(["get", "deploy", "web", "-n", "team-ssa", "-o", "jsonpath={.metadata.resourceVersion}"])).stdout;
    const before = await version();
    expect((await kubectl(["apply", "--server-side", "-f", "-"], manifest("team-ssa", 2))).code).toBe(0);
    expect(await version()).toBe(before);

    const other = await kubectl(
      ["apply", "--server-side", "--field-manager", "scaler", "-f", "-"],
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: team-ssa\nspec:\n  replicas: 5\n",
    );
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('Apply failed with 1 conflict: conflict with "kubectl" using apps/v1: .spec.replicas');
    const forced = await kubectl(
      ["apply", "--server-side", "--force-conflicts", "--field-manager", "scaler", "-f", "-"],
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: team-ssa\nspec:\n  replicas: 5\n",
    );
    expect(forced.code, forced.stderr).toBe(0);
    expect((await kubectl(["get", "deploy", "web", "-n", "team-ssa", "-o", "jsonpath={.spec.replicas}"])).stdout).toBe("5");
  });

  it("kubectl create refuses unknown fields (strict validation) and reports 422 causes", async () => {
    const unknown = await kubectl(["create", "-f", "-"], "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: robot\n  namespace: default\nfoo: bar\n");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('strict decoding error: unknown field "foo"');
    const invalid = await kubectl(["create", "-f", "-"], "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: Bad_Name\n");
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain(
      'The Namespace "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 label must consist of',
    );
  });

  it("kubectl create namespace, deployment and serviceaccount (protobuf bodies) create what the JSON forms would", async () => {
    expect(await kubectl(["create", "namespace", "team-proto"])).toMatchObject({ code: 0, stdout: "namespace/team-proto created\n" });
    const deployment = await kubectl([
      "create",
      "deployment",
      "web",
      "--image=wharfacr.azurecr.io/web:1.0.0",
      "--replicas=2",
      "--port=8080",
      "-n",
      "team-proto",
    ]);
    expect(deployment).toMatchObject({ code: 0, stdout: "deployment.apps/web created\n" });
    expect(await kubectl(["create", "serviceaccount", "robot", "-n", "team-proto"])).toMatchObject({ code: 0, stdout: "serviceaccount/robot created\n" });
    const stored = JSON.parse((await kubectl(["get", "deployment", "web", "-n", "team-proto", "-o", "json"])).stdout) as {
      metadata: { labels: Record<string, string> };
      spec: Record<string, unknown>;
    };
    expect(stored.metadata.labels).toEqual({ app: "web" });
    expect(stored.spec).toMatchObject({ replicas: 2, selector: { matchLabels: { app: "web" } }, strategy: { type: "RollingUpdate" } });
    expect((stored.spec.template as { spec: { containers: unknown[] } }).spec.containers).toEqual([
      expect.objectContaining({
        name: "web",
        image: "wharfacr.azurecr.io/web:1.0.0",
        ports: [{ containerPort: 8080, protocol: "TCP" }],
        imagePullPolicy: "IfNotPresent",
        resources: {},
      }),
    ]);
  });

  it("kubectl create quota, service (clusterip, nodeport, externalname) and rolebinding (protobuf bodies) create what the JSON forms would", async () => {
    await kubectl(["create", "namespace", "team-proto2"]);
    const get = async (resource: string): Promise<Record<string, unknown>> => {
      const result = await kubectl(["get", resource, "-n", "team-proto2", "-o", "json"]);
      expect(result.code, result.stderr).toBe(0);
      return JSON.parse(result.stdout) as Record<string, unknown>;
    };

    expect(
      await kubectl(["create", "quota", "compute", "--hard=pods=10,requests.cpu=2,limits.memory=4Gi", "--scopes=NotTerminating", "-n", "team-proto2"]),
    ).toMatchObject({ code: 0, stdout: "resourcequota/compute created\n" });
    expect((await get("resourcequota/compute")).spec).toEqual({
      hard: { pods: "10", "requests.cpu": "2", "limits.memory": "4Gi" },
      scopes: ["NotTerminating"],
    });

    expect(await kubectl(["create", "service", "clusterip", "web", "--tcp=80:8080", "--tcp=9000:metrics", "-n", "team-proto2"])).toMatchObject({
      code: 0,
      stdout: "service/web created\n",
    });
    expect(await get("service/web")).toMatchObject({
      metadata: { labels: { app: "web" } },
      spec: {
        type: "ClusterIP",
        clusterIP: expect.stringMatching(/^10\.0\.\d+\.\d+$/),
        selector: { app: "web" },
        ports: [
          { name: "80-8080", protocol: "TCP", port: 80, targetPort: 8080 },
          { name: "9000-metrics", protocol: "TCP", port: 9000, targetPort: "metrics" },
        ],
      },
    });
    expect(await kubectl(["create", "service", "clusterip", "headless", "--clusterip=None", "-n", "team-proto2"])).toMatchObject({ code: 0 });
    expect((await get("service/headless")).spec).toMatchObject({ clusterIP: "None" });
    expect(await kubectl(["create", "service", "nodeport", "np", "--tcp=80:8080", "--node-port=30080", "-n", "team-proto2"])).toMatchObject({
      code: 0,
      stdout: "service/np created\n",
    });
    expect((await get("service/np")).spec).toMatchObject({ type: "NodePort", ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] });
    expect(await kubectl(["create", "service", "externalname", "ext", "--external-name=example.com", "-n", "team-proto2"])).toMatchObject({
      code: 0,
      stdout: "service/ext created\n",
    });
    expect((await get("service/ext")).spec).toMatchObject({ type: "ExternalName", externalName: "example.com" });

    expect(
      await kubectl([
        "create",
        "rolebinding",
        "viewers",
        "--clusterrole=view",
        "--user=alice",
        "--group=devs",
        "--serviceaccount=team-proto2:robot",
        "-n",
        "team-proto2",
      ]),
    ).toMatchObject({ code: 0, stdout: "rolebinding.rbac.authorization.k8s.io/viewers created\n" });
    expect(await get("rolebinding/viewers")).toMatchObject({
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" },
      subjects: [
        { kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "alice" },
        { kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "devs" },
        { kind: "ServiceAccount", name: "robot", namespace: "team-proto2" },
      ],
    });

    // The same validation as for JSON bodies: a Service name must be a DNS-1035 label.
    const invalid = await kubectl(["create", "service", "clusterip", "9web", "--tcp=80", "-n", "team-proto2"]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('failed to create ClusterIP service: Service "9web" is invalid: metadata.name: Invalid value: "9web": a DNS-1035 label');
  });

  it("kubectl explain reads the OpenAPI v3 documents; only --output=plaintext-openapiv2 asks for /openapi/v2, which is not served", async () => {
    const explained = await kubectl(["explain", "deployment.spec.replicas"]);
    expect(explained.code, explained.stderr).toBe(0);
    expect(explained.stdout).toMatch(/GROUP:\s+apps\nKIND:\s+Deployment\nVERSION:\s+v1\n\nFIELD: replicas <integer>/);
    const v2 = await kubectl(["explain", "deployment.spec.replicas", "--output=plaintext-openapiv2"]);
    expect(v2.code).toBe(1);
    expect(v2.stderr).toContain("the server could not find the requested resource");
  });

  it("kubectl scale changes replicas through the deployments/scale subresource, honouring --current-replicas", async () => {
    await kubectl(["create", "namespace", "team-scale"]);
    await kubectl(["create", "deployment", "web", "--image=wharfacr.azurecr.io/web:1.0.0", "--replicas=2", "-n", "team-scale"]);
    expect(await kubectl(["scale", "deployment", "web", "--replicas=3", "-n", "team-scale"])).toMatchObject({
      code: 0,
      stdout: "deployment.apps/web scaled\n",
    });
    expect((await kubectl(["get", "deployment", "web", "-n", "team-scale", "-o", "jsonpath={.spec.replicas}"])).stdout).toBe("3");
    const refused = await kubectl(["scale", "deployment", "web", "--replicas=1", "--current-replicas=2", "-n", "team-scale"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("Expected replicas to be 2, was 3");
    const scale = JSON.parse((await kubectl(["get", "--raw", "/k8s/aks-dev-weu/apis/apps/v1/namespaces/team-scale/deployments/web/scale"])).stdout) as unknown;
    expect(scale).toMatchObject({
      kind: "Scale",
      apiVersion: "autoscaling/v1",
      metadata: { name: "web", namespace: "team-scale" },
      spec: { replicas: 3 },
      status: { selector: "app=web" },
    });
    const resources = JSON.parse((await kubectl(["get", "--raw", "/k8s/aks-dev-weu/apis/apps/v1"])).stdout) as {
      resources: { name: string; group?: string; kind: string }[];
    };
    expect(resources.resources.find((resource) => resource.name === "deployments/scale")).toMatchObject({ group: "autoscaling", version: "v1", kind: "Scale" });
  });

  it("kubectl delete ns waits until the namespace and its contents are gone", async () => {
    const deleted = await kubectl(["delete", "ns", "team-cli"]);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout.trim()).toBe('namespace "team-cli" deleted');
    const gone = await kubectl(["get", "ns", "team-cli"]);
    expect(gone.code).toBe(1);
    expect(gone.stderr.trim()).toBe('Error from server (NotFound): namespaces "team-cli" not found');
    const contents = await kubectl(["get", "deploy", "-A"]);
    expect(contents.stdout).not.toContain("team-cli");
  });

  it("kubectl with a wrong token is told it is not logged in", async () => {
    const result = await kubectl(["--token", "wrong", "get", "ns"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("You must be logged in to the server");
  });
});
