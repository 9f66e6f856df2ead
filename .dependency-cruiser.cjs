// The import rules ARCHITECTURE.md states, as checks (`npm run lint:deps`, part of `npm run lint` and so of
// `npm test`). A rule here is a rule a change fails on. Violations another branch is still fixing are listed in
// .dependency-cruiser-known-violations.json (`--ignore-known`), so only new ones fail; regenerate it with
// `npm run lint:deps:baseline` once they are fixed, and it shrinks.

/** Tests and what only tests use: they may import anything (the sandbox, product code) and nothing imports them. */
const testSupport = "(\\.test\\.tsx?$|/__fixtures__/|/testing/|/test-support/|(^|/)test-global-setup\\.ts$|^e2e/)";

/** Product code: what runs in production. The launcher (scripts/start.ts) and the demo seed start the sandbox, by design. */
const product = "^(app|components|lib|scripts|prisma)/|^(proxy|instrumentation)\\.ts$";
const productAllowedToUseSandbox = `${testSupport}|^scripts/start\\.ts$|^prisma/seed(-estate)?\\.ts$`;

/** @type {import("dependency-cruiser").IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "No import cycle between files, type-only imports included.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    // No cycle between folders (lib/<area>, app/…, components/<area>, sandbox/…), each counting with everything under
    // it. Break one by moving the shared part down (types in their own module) or the composition up (as the job
    // registry, lib/worker/job-registry.ts). Between app/ and components/ the direction is the module rule below,
    // components-not-app: dependency-cruiser's baseline cannot hold folder-level violations, and the known ones are there.
    {
      name: "no-area-cycle",
      severity: "error",
      scope: "folder",
      from: { pathNot: "^(app|components)(/|$)" },
      to: { circular: true },
    },
    {
      name: "no-area-cycle",
      severity: "error",
      scope: "folder",
      from: { path: "^app(/|$)" },
      to: { circular: true, pathNot: "^components(/|$)" },
    },
    {
      name: "no-area-cycle",
      severity: "error",
      scope: "folder",
      from: { path: "^components(/|$)" },
      to: { circular: true, pathNot: "^app(/|$)" },
    },
    {
      name: "components-not-app",
      comment: "Imports point one way: app → components. A component that needs a type from a route takes it from lib/.",
      severity: "error",
      from: { path: "^components/", pathNot: testSupport },
      to: { path: "^app/" },
    },
    {
      name: "product-not-sandbox",
      comment: "The sandbox is dev and test infrastructure, never a production path: only tests, the launcher and the seed import it.",
      severity: "error",
      from: { path: product, pathNot: productAllowedToUseSandbox },
      to: { path: "^sandbox/" },
    },
    {
      name: "sandbox-not-product",
      comment: "The sandbox stands in for Azure and Kubernetes: it must not share Wharf's code (a bug would be mirrored, not caught). Its tests may.",
      severity: "error",
      from: { path: "^sandbox/", pathNot: testSupport },
      to: { path: "^(app|components|lib)/|^(proxy|instrumentation)\\.ts$" },
    },
    {
      name: "product-not-test-support",
      comment: "Fixtures and test helpers stay out of what runs in production.",
      severity: "error",
      from: { path: product, pathNot: testSupport },
      to: { path: testSupport },
    },
    {
      name: "lib-not-ui",
      comment: "Imports point one way: app → lib. Use cases and rules never import routes or React components.",
      severity: "error",
      from: { path: "^lib/", pathNot: testSupport },
      to: { path: "^(app|components)/" },
    },
    {
      name: "vendor-borders-not-next",
      comment: "lib/azure and lib/kubernetes return Wharf's own types and run outside Next.js (worker, scripts).",
      severity: "error",
      from: { path: "^lib/(azure|kubernetes)/", pathNot: testSupport },
      to: { path: "^node_modules/next/" },
    },
  ],
  options: {
    // Folder-level rules (no-area-cycle) need the folder metrics.
    metrics: true,
    // Tests are leaves: what they import is not part of the product's graph, and they may import anything.
    doNotFollow: { path: ["node_modules", testSupport] },
    exclude: { path: "^(node_modules|\\.tools|\\.next|\\.data|lib/db/generated)/" },
    // Type-only imports count: a cycle through types is still a cycle between areas.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".json"],
    },
  },
};
