// Three services as the catalog holds them, rendered in render.test.ts and
// compared with the YAML files beside this one. Also the subjects of the
// policy tests and of the rollout captures.
import type { RenderDeploymentInput } from "../render";

/** A typical HTTP API: a tag, the spec's replicas, the read-only root filesystem by default. */
export const paymentsApi: RenderDeploymentInput = {
  service: { slug: "payments-api", appInsightsRoleName: "payments-api" },
  team: { slug: "payments" },
  namespace: { name: "payments-prod" },
  deploySpec: {
    imageRepository: "contoso.azurecr.io/payments/api",
    port: 8080,
    replicas: 3,
    cpuRequest: "250m",
    cpuLimit: "1",
    memoryRequest: "256Mi",
    memoryLimit: "512Mi",
    readinessPath: "/ready",
    livenessPath: "/healthz",
  },
  image: { tag: "1.4.2" },
  changeCause: "Deploy 1.4.2 by Ada Lovelace (Wharf)",
  revision: 7,
};

/** Pinned by digest, one replica by override, a service that opted out of the read-only root filesystem, with declared dependencies. */
export const ordersWorker: RenderDeploymentInput = {
  service: {
    slug: "orders-worker",
    appInsightsRoleName: "fulfilment.orders-worker",
    dependencies: [
      { kind: "service", target: "payments-api" },
      { kind: "sql", target: "orders-db" },
      { kind: "servicebus", target: "sb-fulfilment" },
    ],
  },
  team: { slug: "fulfilment" },
  namespace: { name: "fulfilment-dev" },
  deploySpec: {
    imageRepository: "contoso.azurecr.io/fulfilment/orders-worker",
    port: 9090,
    replicas: 2,
    cpuRequest: "100m",
    cpuLimit: "500m",
    memoryRequest: "128Mi",
    memoryLimit: "128Mi",
    readinessPath: "/health/ready",
    livenessPath: "/health/live",
    readOnlyRootFilesystem: false,
  },
  image: { digest: "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" },
  replicas: 1,
  changeCause: "Roll back to revision 3 by Grace Hopper (Wharf)",
  revision: 12,
};

/** A branch build whose tag is longer than a label value may be: the version label is cut, the image keeps the tag. No role name: no telemetry settings. */
export const searchIndexer: RenderDeploymentInput = {
  service: { slug: "search-indexer" },
  team: { slug: "discovery" },
  namespace: { name: "discovery-test" },
  deploySpec: {
    imageRepository: "mcr.microsoft.com/contoso/search-indexer",
    port: 3000,
    replicas: 4,
    cpuRequest: "0.5",
    cpuLimit: "2",
    memoryRequest: "1Gi",
    memoryLimit: "2Gi",
    readinessPath: "/",
    livenessPath: "/livez",
  },
  image: { tag: "_feature-very-long-branch-name-for-the-new-ranking-model-experiment.build-20240501.7" },
  changeCause: "Deploy _feature-very-long-branch-name-for-the-new-ranking-model-experiment.build-20240501.7 by pipeline discovery-ci (Wharf API)",
  revision: 1,
};
