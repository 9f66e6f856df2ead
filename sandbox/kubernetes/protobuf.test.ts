// Protobuf bodies exactly as kubectl 1.32 sends them (captured from its
// generator commands into __fixtures__/protobuf/), decoded to what the same
// command's JSON body would hold. The kubectl contract tests run the commands
// themselves when kubectl is installed; these run everywhere.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeProtobuf } from "./protobuf";
import { KubeError } from "./status";

const contentType = "application/vnd.kubernetes.protobuf";
const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, "__fixtures__", "protobuf", `${name}.bin`));

describe("protobuf bodies of kubectl's generator commands", () => {
  it("create quota q --hard=pods=10,requests.cpu=2,limits.memory=4Gi --scopes=NotTerminating", () => {
    expect(decodeProtobuf(fixture("create-quota"), contentType)).toEqual({
      apiVersion: "v1",
      kind: "ResourceQuota",
      metadata: { name: "q", namespace: "default" },
      spec: { hard: { pods: "10", "requests.cpu": "2", "limits.memory": "4Gi" }, scopes: ["NotTerminating"] },
      status: {},
    });
  });

  it("create service clusterip web --tcp=80:8080 --tcp=9000:metrics (an int and a named targetPort)", () => {
    expect(decodeProtobuf(fixture("create-service-clusterip"), contentType)).toEqual({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "web", namespace: "default", labels: { app: "web" } },
      spec: {
        ports: [
          { name: "80-8080", protocol: "TCP", port: 80, targetPort: 8080 },
          { name: "9000-metrics", protocol: "TCP", port: 9000, targetPort: "metrics" },
        ],
        selector: { app: "web" },
        type: "ClusterIP",
      },
      status: {},
    });
  });

  it("create service clusterip headless --clusterip=None", () => {
    expect(decodeProtobuf(fixture("create-service-clusterip-none"), contentType)).toMatchObject({
      kind: "Service",
      spec: { selector: { app: "headless" }, clusterIP: "None", type: "ClusterIP" },
    });
  });

  it("create service nodeport, loadbalancer and externalname", () => {
    expect(decodeProtobuf(fixture("create-service-nodeport"), contentType)).toMatchObject({
      spec: { type: "NodePort", ports: [{ name: "80-8080", protocol: "TCP", port: 80, targetPort: 8080, nodePort: 30080 }] },
    });
    expect(decodeProtobuf(fixture("create-service-loadbalancer"), contentType)).toMatchObject({
      spec: { type: "LoadBalancer", ports: [{ port: 443, targetPort: 8443 }] },
    });
    const external = decodeProtobuf(fixture("create-service-externalname"), contentType);
    expect(external).toMatchObject({ spec: { type: "ExternalName", externalName: "example.com", selector: { app: "ext" } } });
    expect(external.spec).not.toHaveProperty("ports");
  });

  it("create rolebinding with a cluster role, a user, a group and a service account; and with a role", () => {
    expect(decodeProtobuf(fixture("create-rolebinding-clusterrole"), contentType)).toEqual({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: "rb", namespace: "default" },
      subjects: [
        { kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "alice" },
        { kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "devs" },
        { kind: "ServiceAccount", name: "robot", namespace: "default" },
      ],
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" },
    });
    expect(decodeProtobuf(fixture("create-rolebinding-role"), contentType)).toMatchObject({
      subjects: [{ kind: "User", name: "bob" }],
      roleRef: { kind: "Role", name: "reader" },
    });
  });

  it("refuses a kind it has no table for, and a body without the k8s envelope, with 415", () => {
    // A runtime.Unknown of kind v1/Secret (typeMeta only), and a real body without its `k8s\0` magic.
    const typeMeta = Buffer.concat([Buffer.from([0x0a, 2]), Buffer.from("v1"), Buffer.from([0x12, 6]), Buffer.from("Secret")]);
    const unknownKind = Buffer.concat([Buffer.from("k8s\u0000", "latin1"), Buffer.from([0x0a, typeMeta.length]), typeMeta, Buffer.from([0x12, 0])]);
    const withoutMagic = fixture("create-rolebinding-role").subarray(4);
    for (const body of [unknownKind, withoutMagic]) {
      let thrown: unknown;
      try {
        decodeProtobuf(body, contentType);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(KubeError);
      expect((thrown as KubeError).status).toMatchObject({ code: 415, reason: "UnsupportedMediaType" });
    }
  });
});
