// kubectl's rollout commands against a sandbox cluster with its controller
// running: what a platform engineer types while a deployment goes out.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasKubectl, kubectlFor, kubectlSkipReason, startTestApiServer, type KubectlResult, type TestApiServer } from "./test-harness";

let server: TestApiServer;
let kubectl: (args: string[], stdin?: string) => Promise<KubectlResult>;

const deployment = (namespace: string, image: string) => `apiVersion: v1
kind: Namespace
metadata:
  name: ${namespace}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${namespace}
spec:
  replicas: 3
  progressDeadlineSeconds: 30
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
      - name: web
        image: ${image}
`;

describe.skipIf(!hasKubectl)(`kubectl rollout against the sandbox controller${hasKubectl ? "" : ` (${kubectlSkipReason})`}`, () => {
  beforeAll(async () => {
    server = await startTestApiServer({ controller: { speed: 20 } });
    kubectl = kubectlFor(server);
  });
  afterAll(() => server?.close());

  it("rollout status waits for a good rollout, and wait sees Available", async () => {
    const applied = await kubectl(["apply", "--server-side", "-f", "-"], deployment("rollout-good", "contoso.azurecr.io/demo/web:1.0"));
    expect(applied.code, applied.stderr).toBe(0);
    const status = await kubectl(["rollout", "status", "deployment/web", "-n", "rollout-good", "--timeout=20s"]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain('deployment "web" successfully rolled out');
    const waited = await kubectl(["wait", "--for=condition=Available", "deployment/web", "-n", "rollout-good", "--timeout=20s"]);
    expect(waited.code, waited.stderr).toBe(0);
    expect(waited.stdout).toContain("deployment.apps/web condition met");
  });

  it("rollout status fails when the rollout exceeds its progress deadline", async () => {
    const applied = await kubectl(["apply", "--server-side", "-f", "-"], deployment("rollout-bad", "contoso.azurecr.io/demo/web:bad"));
    expect(applied.code, applied.stderr).toBe(0);
    const status = await kubectl(["rollout", "status", "deployment/web", "-n", "rollout-bad", "--timeout=20s"]);
    expect(status.code).not.toBe(0);
    expect(status.stderr).toMatch(/exceeded its progress deadline/);
  });

  it("kubectl get pods shows CrashLoopBackOff and ImagePullBackOff in STATUS", async () => {
    await kubectl(["apply", "--server-side", "-f", "-"], deployment("rollout-crash", "contoso.azurecr.io/demo/web:crash"));
    let pods: KubectlResult | undefined;
    for (let attempt = 0; attempt < 100; attempt++) {
      pods = await kubectl(["get", "pods", "-n", "rollout-crash"]);
      if (pods.stdout.includes("CrashLoopBackOff")) break;
      await new Promise((done) => setTimeout(done, 100));
    }
    expect(pods?.stdout).toContain("CrashLoopBackOff");
    const bad = await kubectl(["get", "pods", "-n", "rollout-bad"]);
    expect(bad.stdout).toMatch(/ImagePullBackOff|ErrImagePull/);
  });

  it("kubectl logs --previous of a crash-looping pod prints the error it died of; a pod that cannot pull its image has no log", async () => {
    const applied = await kubectl(["apply", "--server-side", "-f", "-"], deployment("logs-crash", "contoso.azurecr.io/demo/web:crash"));
    expect(applied.code, applied.stderr).toBe(0);
    let previous: KubectlResult | undefined;
    for (let attempt = 0; attempt < 100; attempt++) {
      previous = await kubectl(["logs", "deployment/web", "-n", "logs-crash", "--previous", "--tail=20"]);
      if (previous.code === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(previous?.code, previous?.stderr).toBe(0);
    expect(previous?.stdout).toMatch(/^Error: connect ECONNREFUSED [\d.]+:5432$/m);

    await kubectl(["apply", "--server-side", "-f", "-"], deployment("logs-bad", "contoso.azurecr.io/demo/web:bad"));
    let refused: KubectlResult | undefined;
    for (let attempt = 0; attempt < 100; attempt++) {
      refused = await kubectl(["logs", "deployment/web", "-n", "logs-bad"]);
      if (/trying and failing to pull image/.test(refused.stderr)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(refused?.code).not.toBe(0);
    expect(refused?.stderr).toMatch(
      /Error from server \(BadRequest\): container "web" in pod "web-[a-z0-9]+-[a-z0-9]+" is waiting to start: trying and failing to pull image/,
    );
  });
});
