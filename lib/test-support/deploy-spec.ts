// The deploy spec tests give a service when its size does not matter: pure, so unit tests import it without the
// database and sandbox setup beside it in team-fixture.ts.
import type { DeploySpec } from "@/lib/catalog/service-input";

/** One replica of 100m CPU and 64Mi, probes on /ready and /healthz: small enough for any quota the tests grant. */
export function smallDeploySpec(imageRepository: string, change: Partial<DeploySpec> = {}): DeploySpec {
  return {
    imageRepository,
    port: 8080,
    replicas: 1,
    cpuRequest: "100m",
    cpuLimit: "200m",
    memoryRequest: "64Mi",
    memoryLimit: "128Mi",
    readinessPath: "/ready",
    livenessPath: "/healthz",
    ...change,
  };
}
