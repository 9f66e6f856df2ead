import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type CatalogDocument, MAX_CATALOG_FILE_BYTES, MAX_YAML_DOCUMENTS, parseCatalogInfo } from "@/lib/catalog/backstage/parse-catalog-info";

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url));

/** The only document of a one-document file. */
function only(text: string): CatalogDocument {
  const { fileErrors, documents } = parseCatalogInfo(text);
  expect(fileErrors).toEqual([]);
  expect(documents).toHaveLength(1);
  return documents[0]!;
}

const component = (spec: string, metadata = "", annotations = "") => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments-api
${metadata}${annotations === "" ? "" : `  annotations:\n${annotations}`}spec:
  type: service
  lifecycle: production
  owner: group:payments
${spec}`;

describe("parseCatalogInfo on real-world files", () => {
  it("imports the Components of a file that mixes System, API, Group and Component", () => {
    const { fileErrors, documents } = parseCatalogInfo(fixture("payments-platform.yaml"));
    expect(fileErrors).toEqual([]);
    expect(documents.map((document) => [document.index, document.line, document.name])).toEqual([
      [0, 3, "payments"],
      [1, 12, "payments-api"],
      [2, 52, "payments-rest"],
      [3, 65, "fraud-scoring"],
      [4, 82, "payments"],
    ]);
    expect(documents.map((document) => document.errors.map((error) => `${error.line}: ${error.message}`))).toEqual([
      ["4: kind System is not imported: Wharf imports kind Component."],
      [],
      ["53: kind API is not imported: Wharf imports kind Component."],
      [],
      ["83: kind Group is not imported: Wharf imports kind Component."],
    ]);

    const payments = documents[1]!;
    expect(payments.service).toEqual({
      slug: "payments-api",
      displayName: "Payments API",
      description: "Takes card and wallet payments for the checkout and\nsettles them with the acquirer every night.",
      ownerTeam: "payments",
      repositoryUrl: "https://github.com/contoso/payments-api",
      language: "go",
      tier: "critical",
      lifecycle: "production",
      tags: ["go", "payments", "pci"],
      links: { dashboard: "https://grafana.contoso.com/d/payments-api/overview", runbook: "https://runbooks.contoso.com/payments/payments-api" },
      dependencies: [
        { kind: "service", service: "fraud-scoring" },
        { kind: "sql", target: "payments-sql" },
        { kind: "redis", target: "redis-sessions" },
      ],
      appInsightsRoleName: null,
      deploySpec: null,
    });
    expect(payments.warnings).toEqual([
      {
        line: 37,
        path: "metadata.links[2]",
        message: expect.stringContaining('The link "#payments on Slack" (https://contoso.slack.com/archives/C0PAYMENTS) is not kept'),
      },
      { line: 44, path: "spec.system", message: "Wharf does not keep spec.system, spec.providesApis; they are not imported." },
    ]);

    const fraud = documents[3]!;
    expect(fraud.service).toMatchObject({
      repositoryUrl: "https://dev.azure.com/contoso/payments/_git/fraud-scoring",
      tier: "standard",
      lifecycle: "experimental",
      links: { docs: "https://contoso.github.io/fraud-scoring" },
      dependencies: [{ kind: "http", target: "fraud-models" }],
    });
    expect(fraud.warnings).toEqual([{ line: 80, path: "spec.dependsOn[0]", message: expect.stringContaining("imports it as http") }]);
  });

  it("reads Wharf's own annotations, the deploy spec and the declared dependency kinds", () => {
    const checkout = only(fixture("checkout-web.yaml").toString("utf8"));
    expect(checkout.errors).toEqual([]);
    expect(checkout.service).toEqual({
      slug: "checkout-web",
      displayName: "Checkout (web)",
      description: "The checkout pages customers see after their basket.",
      ownerTeam: "checkout",
      // source-location is the more exact of the two repository annotations.
      repositoryUrl: "https://github.com/contoso/checkout/tree/main/web/",
      language: "typescript",
      tier: "critical",
      lifecycle: "production",
      tags: ["typescript", "nextjs"],
      links: {
        dashboard: "https://contoso.grafana.net/d/checkout-web",
        runbook: "https://runbooks.contoso.com/checkout/web",
        docs: "https://docs.contoso.com/checkout",
      },
      dependencies: [
        { kind: "service", service: "payments-api" },
        { kind: "redis", target: "checkout-cache" },
        { kind: "servicebus", target: "orders-events" },
        { kind: "mongodb", target: "mongodb-carts" },
      ],
      appInsightsRoleName: "checkout-web",
      deploySpec: {
        imageRepository: "contoso.azurecr.io/checkout/web",
        port: 3000,
        replicas: 3,
        cpuRequest: "250m",
        cpuLimit: "1",
        memoryRequest: "256Mi",
        memoryLimit: "512Mi",
        readinessPath: "/api/ready",
        livenessPath: "/api/live",
      },
    });
    expect(checkout.warnings.map((warning) => [warning.line, warning.path])).toEqual([
      [34, "spec.type"],
      [37, "spec.system"],
      [43, "spec.dependsOn[4]"],
    ]);
  });

  it("reports a bad document at its own lines and still imports the good ones around it", () => {
    const { documents } = parseCatalogInfo(fixture("one-bad-document.yaml"));
    expect(documents.map((document) => [document.name, document.service?.slug])).toEqual([
      ["orders-api", "orders-api"],
      ["Orders_Worker", undefined],
      ["orders-reports", "orders-reports"],
    ]);
    expect(documents[1]!.errors).toEqual([
      { line: 14, path: "metadata.name", message: expect.stringMatching(/^Wharf cannot use "Orders_Worker" as a service slug\..*Rename it to orders-worker/) },
      { line: 17, path: 'metadata.annotations["wharf.io/tier"]', message: "The tier must be one of critical, standard, experimental." },
      { line: 19, path: "metadata.tags[0]", message: expect.stringContaining("Tags use lowercase letters") },
      { line: 22, path: "spec.lifecycle", message: 'spec.lifecycle "beta" is not a Wharf lifecycle; use one of experimental, production, deprecated.' },
      { line: 23, path: "spec.owner", message: expect.stringContaining("spec.owner is a user, but Wharf services are owned by teams") },
    ]);
  });

  it("refuses a NUL in any value at its own line, so the preview never promises a create the database would refuse", () => {
    const { documents } = parseCatalogInfo(component("", '  description: "nul \\0 here"\n'));
    expect(documents[0]!.service).toBeUndefined();
    expect(documents[0]!.errors).toEqual([
      { line: 5, path: "metadata.description", message: "This value contains a control character (such as NUL); remove it from the file." },
    ]);
  });

  it("reports a YAML syntax error on its document with a line, and keeps the other documents", () => {
    const { documents } = parseCatalogInfo(fixture("syntax-error.yaml"));
    expect(documents[0]!.service?.slug).toBe("search-api");
    const broken = documents[1]!;
    expect(broken.service).toBeUndefined();
    expect(broken.line).toBe(10);
    expect(broken.errors).toEqual([{ line: 15, message: expect.stringMatching(/^This is not valid YAML: Flow sequence .* end with a \]/) }]);
  });
});

describe("parseCatalogInfo refuses hostile and broken files", () => {
  it("refuses a billion-laughs file quickly", () => {
    const started = performance.now();
    const { documents } = parseCatalogInfo(fixture("billion-laughs.yaml"));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(documents[0]!.errors).toEqual([{ line: 1, message: expect.stringContaining("uses too many YAML aliases (a 'billion laughs' file?)") }]);
    expect(documents[0]!.service).toBeUndefined();
  });

  it("still reads a file that uses a few aliases", () => {
    const document = only(component("", "  tags: &tags [go, payments]\n  labels:\n    copy: *tags\n"));
    expect(document.service?.tags).toEqual(["go", "payments"]);
  });

  it("refuses bytes that are not UTF-8, naming the line", () => {
    const { fileErrors, documents } = parseCatalogInfo(fixture("latin1.yaml"));
    expect(documents).toEqual([]);
    expect(fileErrors).toEqual([{ line: 4, message: expect.stringContaining("not valid UTF-8") }]);
  });

  it("refuses a 6 MB file, as bytes or as text, before parsing it", () => {
    const text = component("", `  description: ${"x".repeat(6 * 1024 * 1024)}\n`);
    for (const input of [text, new TextEncoder().encode(text)]) {
      const started = performance.now();
      const { fileErrors, documents } = parseCatalogInfo(input);
      expect(performance.now() - started).toBeLessThan(1000);
      expect(documents).toEqual([]);
      expect(fileErrors).toEqual([{ line: 1, message: "The file is 6 MB; Wharf reads catalog files of at most 5 MB. Split it into smaller files." }]);
    }
    expect(MAX_CATALOG_FILE_BYTES).toBe(5 * 1024 * 1024);
  });

  it("counts multi-byte characters as the bytes they take", () => {
    const text = `# ${"é".repeat(MAX_CATALOG_FILE_BYTES / 2)}\n`;
    expect(parseCatalogInfo(text).fileErrors[0]?.message).toMatch(/^The file is 5 MB; Wharf reads catalog files of at most 5 MB/);
  });

  it("refuses more documents than the cap", () => {
    const { fileErrors, documents } = parseCatalogInfo("a: 1\n---\n".repeat(MAX_YAML_DOCUMENTS + 1));
    expect(documents).toEqual([]);
    // The 10,001st document starts at its `---` line.
    expect(fileErrors).toEqual([{ line: MAX_YAML_DOCUMENTS * 2, message: expect.stringContaining(`more than ${MAX_YAML_DOCUMENTS} YAML documents`) }]);
  });

  it("does not crash on deep nesting", () => {
    const flow = parseCatalogInfo(`kind: Component\nmetadata:\n  name: ${"[".repeat(1_000_000)}`);
    expect(flow.fileErrors).toEqual([{ line: 3, message: expect.stringContaining("nests [ ] or { } more than 100 levels deep") }]);

    let block = "";
    for (let depth = 0; depth < 2500; depth++) block += `${" ".repeat(depth)}k:\n`;
    const deep = parseCatalogInfo(block);
    expect(deep.fileErrors).toEqual([]);
    expect(deep.documents[0]!.errors.length).toBeGreaterThan(0);
  });

  it("strips a byte-order mark and skips empty documents", () => {
    const bytes = new TextEncoder().encode(`\uFEFF---\n# nothing here\n---\n---\n${component("")}`);
    const { documents } = parseCatalogInfo(bytes);
    expect(documents).toHaveLength(1);
    expect(documents[0]).toMatchObject({ index: 2, line: 5, name: "payments-api", errors: [] });
    expect(parseCatalogInfo(`\uFEFF${component("")}`).documents[0]?.errors).toEqual([]);
    expect(parseCatalogInfo("").documents).toEqual([]);
  });
});

describe("parseCatalogInfo checks each document", () => {
  it("asks for metadata.name where metadata is", () => {
    const document = only(
      "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  title: Payments\nspec:\n  lifecycle: production\n  owner: payments\n",
    );
    expect(document.service).toBeUndefined();
    expect(document.errors).toEqual([
      { line: 4, path: "metadata.name", message: "Add metadata.name: it becomes the service's slug in Wharf, such as payments-api." },
    ]);
  });

  it("does not import kind API, nor an unknown apiVersion", () => {
    const api = only("apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: payments-rest\nspec:\n  type: openapi\n");
    expect(api).toMatchObject({
      name: "payments-rest",
      errors: [{ line: 2, path: "kind", message: "kind API is not imported: Wharf imports kind Component." }],
    });
    const version = only(component("").replace("backstage.io/v1alpha1", "example.com/v2"));
    expect(version.errors).toEqual([
      {
        line: 1,
        path: "apiVersion",
        message: "apiVersion example.com/v2 is not one Wharf reads: write apiVersion: backstage.io/v1alpha1 or backstage.io/v1beta1.",
      },
    ]);
    expect(only(component("").replace("v1alpha1", "v1beta1")).errors).toEqual([]);
  });

  it("reads owners written the ways Backstage allows", () => {
    for (const owner of ["group:payments", "group:default/payments", "payments", "Group:Payments"]) {
      expect(only(component("").replace("group:payments", owner)).service?.ownerTeam, owner).toBe("payments");
    }
    const otherNamespace = only(component("").replace("group:payments", "group:finance/payments"));
    expect(otherNamespace.service?.ownerTeam).toBe("payments");
    expect(otherNamespace.warnings).toEqual([{ line: 8, path: "spec.owner", message: expect.stringContaining("Wharf has no namespaces") }]);
    // A missing field is reported where its parent's content starts.
    expect(only(component("").replace("  owner: group:payments\n", "")).errors).toEqual([
      { line: 6, path: "spec.owner", message: "Add spec.owner: the Wharf team that owns the service, such as group:payments." },
    ]);
  });

  it("maps dependsOn to service and external dependencies", () => {
    const document = only(
      component(
        "  dependsOn:\n    - component:default/orders-api\n    - resource:orders-sql\n    - resource:cosmos-events\n    - resource:stripe\n    - resource:ledger\n    - api:payments-rest\n",
        "",
        `    wharf.io/dependency-kinds: '{"ledger": "cosmosdb"}'\n`,
      ),
    );
    expect(document.errors).toEqual([]);
    expect(document.service?.dependencies).toEqual([
      { kind: "service", service: "orders-api" },
      { kind: "sql", target: "orders-sql" },
      { kind: "cosmosdb", target: "cosmos-events" },
      { kind: "http", target: "stripe" },
      { kind: "cosmosdb", target: "ledger" },
    ]);
    expect(document.warnings.map((warning) => [warning.line, warning.path, warning.message.slice(0, 40)])).toEqual([
      [15, "spec.dependsOn[3]", "Wharf cannot tell what kind of resource "],
      [17, "spec.dependsOn[5]", '"api:payments-rest" is not kept: Wharf k'],
    ]);
  });

  it("reports dependencies Wharf cannot take, at their lines", () => {
    const document = only(
      component(
        "  dependsOn:\n    - orders-api\n    - component:payments-api\n    - resource:cache\n    - resource:cache\n",
        "",
        `    wharf.io/dependency-kinds: '{"cache": "memcached", "queue": "servicebus"}'\n`,
      ),
    );
    expect(document.errors).toEqual([
      {
        line: 6,
        path: 'metadata.annotations["wharf.io/dependency-kinds"]',
        message: 'wharf.io/dependency-kinds gives "memcached" for cache; use one of sql, redis, servicebus, cosmosdb, mongodb, http.',
      },
      { line: 12, path: "spec.dependsOn[0]", message: expect.stringContaining('Write "orders-api" with its kind: component:orders-api for a service') },
      { line: 13, path: "spec.dependsOn[1]", message: "A service cannot depend on itself; remove this dependency." },
      { line: 15, path: "spec.dependsOn[3]", message: "This dependency is listed twice; remove one." },
    ]);
    expect(document.warnings).toEqual([
      {
        line: 6,
        path: 'metadata.annotations["wharf.io/dependency-kinds"]',
        message: expect.stringContaining('names "queue", which is not a resource in spec.dependsOn'),
      },
    ]);
  });

  it("reports a listed-twice dependency at the second entry", () => {
    const document = only(component("  dependsOn:\n    - resource:orders-sql\n    - resource:Orders-SQL\n"));
    expect(document.errors).toEqual([{ line: 11, path: "spec.dependsOn[1]", message: "This dependency is listed twice; remove one." }]);
  });

  it("reports deploy spec problems at the annotation, naming the field", () => {
    const badJson = only(component("", "", "    wharf.io/deploy-spec: '{port: 80}'\n"));
    expect(badJson.errors).toEqual([
      {
        line: 6,
        path: 'metadata.annotations["wharf.io/deploy-spec"]',
        message: expect.stringMatching(/^wharf.io\/deploy-spec is not valid JSON \(.*\); write it as a JSON object/),
      },
    ]);

    const spec = {
      imageRepository: "contoso.azurecr.io/payments/api",
      port: 70000,
      replicas: 2,
      cpuRequest: "2",
      cpuLimit: "1",
      memoryRequest: "256Mi",
      memoryLimit: "512Mi",
      readinessPath: "/ready",
      livenessPath: "/live",
    };
    const badValues = only(component("", "  description: Payments\n", `    wharf.io/tier: critical\n    wharf.io/deploy-spec: '${JSON.stringify(spec)}'\n`));
    expect(badValues.errors).toEqual([
      {
        line: 8,
        path: 'metadata.annotations["wharf.io/deploy-spec"]',
        message: "In wharf.io/deploy-spec, port: The container port must be between 1 and 65535.",
      },
      {
        line: 8,
        path: 'metadata.annotations["wharf.io/deploy-spec"]',
        message: "In wharf.io/deploy-spec, cpuLimit: The CPU limit (1) is below the CPU request (2); raise the limit or lower the request.",
      },
    ]);

    const missing = only(component("", "", `    wharf.io/deploy-spec: '{"port": 80}'\n`));
    expect(missing.errors[0]).toEqual({
      line: 6,
      path: 'metadata.annotations["wharf.io/deploy-spec"]',
      message: "In wharf.io/deploy-spec, imageRepository: Add imageRepository (text).",
    });
  });

  it("names wrong types with what to write instead", () => {
    const document = only(component("", "  title: 2048\n  tags: [go, 7]\n"));
    expect(document.errors).toEqual([
      { line: 5, path: "metadata.title", message: 'metadata.title must be text; put the value in quotes, such as "2048".' },
      { line: 6, path: "metadata.tags[1]", message: 'metadata.tags[1] must be text; put the value in quotes, such as "7".' },
    ]);
  });

  it("sorts links by type, then icon, then title, keeping one of each kind", () => {
    const links = `  links:
    - url: https://grafana.example.com/d/1
      title: Service overview
      type: admin-dashboard
    - url: https://wiki.example.com/payments
      title: Team wiki
      icon: docs
    - url: https://wiki.example.com/payments/runbook
      title: Payments runbook
    - url: https://grafana.example.com/d/2
      title: Second dashboard
`;
    const document = only(component("", links));
    expect(document.service?.links).toEqual({
      dashboard: "https://grafana.example.com/d/1",
      docs: "https://wiki.example.com/payments",
      runbook: "https://wiki.example.com/payments/runbook",
    });
    expect(document.warnings).toEqual([
      {
        line: 14,
        path: "metadata.links[3]",
        message: expect.stringContaining("Wharf keeps one dashboard link and took the earlier one, https://grafana.example.com/d/1"),
      },
    ]);
  });

  it("takes the repository from github.com/project-slug when there is no source location", () => {
    expect(only(component("", "", "    github.com/project-slug: contoso/payments-api\n")).service?.repositoryUrl).toBe(
      "https://github.com/contoso/payments-api",
    );
    expect(only(component("", "", "    github.com/project-slug: payments-api\n")).errors).toEqual([
      {
        line: 6,
        path: 'metadata.annotations["github.com/project-slug"]',
        message: "github.com/project-slug must be owner/repository, such as contoso/payments-api.",
      },
    ]);
  });

  it("warns about a spec.type other than service, and keeps the service", () => {
    const document = only(component("").replace("type: service", "type: website"));
    expect(document.service?.slug).toBe("payments-api");
    expect(document.warnings).toEqual([
      { line: 6, path: "spec.type", message: 'spec.type is "website"; Wharf has no component types and imports it as a service.' },
    ]);
  });

  it("refuses a second component with the same name in one file", () => {
    const { documents } = parseCatalogInfo(`${component("")}---\n${component("")}`);
    expect(documents[0]!.service).toBeDefined();
    expect(documents[1]!.service).toBeUndefined();
    expect(documents[1]!.errors).toEqual([
      {
        line: 10,
        path: "metadata.name",
        message: "The component payments-api is already defined at line 1 of this file; remove one of the two or rename this one.",
      },
    ]);
  });

  it("refuses a document that is not a mapping", () => {
    expect(only("- just\n- a list\n").errors).toEqual([
      { line: 1, message: "This document is not a Backstage entity: write a mapping with apiVersion, kind, metadata and spec." },
    ]);
  });
});

describe("parseCatalogInfo on a bare Component", () => {
  it("asks for the missing sections once each", () => {
    const document = only("apiVersion: backstage.io/v1alpha1\nkind: Component\n");
    expect(document.errors).toEqual([
      { line: 1, path: "metadata", message: "Add metadata with its name." },
      { line: 1, path: "spec", message: "Add spec with its owner and lifecycle." },
    ]);
  });
});
