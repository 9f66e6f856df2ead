import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/api/openapi";
import { errorCodes, unexpectedError } from "@/lib/errors";

describe("OpenAPI document", () => {
  const doc = openApiDocument("http://localhost:3000");

  it("is OpenAPI 3.1 and describes every catalog operation", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths["/api/v1/services"])).toEqual(["get", "post"]);
    expect(Object.keys(doc.paths["/api/v1/services/{slug}"])).toEqual(["parameters", "get", "put", "delete"]);
  });

  it("comes from the validation schemas, constraints included", () => {
    const input = doc.components.schemas.ServiceInput as {
      properties: Record<string, { maxLength?: number; enum?: string[]; pattern?: string }>;
      required: string[];
    };
    expect(input.required).toEqual(expect.arrayContaining(["slug", "displayName", "ownerTeam", "tier", "lifecycle"]));
    expect(input.properties.slug?.maxLength).toBe(63);
    expect(input.properties.tier?.enum).toEqual(["critical", "standard", "experimental"]);
    const parameters = (doc.paths["/api/v1/services"].get.parameters as { name: string }[]).map((p) => p.name);
    expect(parameters).toEqual(["q", "team", "tier", "lifecycle", "language", "retired", "sort", "order", "page", "pageSize", "cursor"]);
  });
});

describe("OpenAPI document: namespaces", () => {
  const doc = openApiDocument("http://localhost:3000") as unknown as {
    paths: Record<
      string,
      Record<string, { requestBody?: { content: { "application/json": { schema: { properties?: Record<string, unknown>; required?: string[] } } } } }>
    >;
  };

  it("describes requests, decisions and namespaces with the validation schemas", () => {
    const request = doc.paths["/api/v1/namespace-requests"]!.post!.requestBody!.content["application/json"].schema;
    expect(request.required).toEqual(expect.arrayContaining(["teamId", "clusterId", "name", "quota", "containerDefaults", "justification"]));
    expect(Object.keys(doc.paths["/api/v1/namespaces/{id}"]!)).toEqual(["parameters", "get"]);
    expect(doc.paths["/api/v1/namespace-requests/{id}/decision"]!.post).toBeDefined();
  });
});

describe("OpenAPI document: deployments and pipelines", () => {
  const doc = openApiDocument("http://localhost:3000") as unknown as {
    paths: Record<string, Record<string, { security?: object[] }>>;
    components: { securitySchemes: Record<string, { scheme?: string }> };
  };

  it("says which operations take a pipeline's bearer token", () => {
    expect(doc.components.securitySchemes.pipelineToken?.scheme).toBe("bearer");
    expect(doc.paths["/api/v1/deployments"]!.post!.security).toEqual([{ session: [] }, { pipelineToken: [] }]);
    expect(doc.paths["/api/v1/deployments/{id}"]!.get!.security).toEqual([{ session: [] }, { pipelineToken: [] }]);
    expect(doc.paths["/api/v1/deployments/{id}/approve"]!.post!.security).toBeUndefined();
  });

  it("shows both ways to name a deployment's namespace: namespaceId, or cluster and namespace", () => {
    const body = (
      doc.paths["/api/v1/deployments"]!.post as unknown as {
        requestBody: {
          content: { "application/json": { schema: { properties: Record<string, { description?: string }>; required: string[]; oneOf: unknown[] } } };
        };
      }
    ).requestBody.content["application/json"].schema;
    expect(Object.keys(body.properties)).toEqual(expect.arrayContaining(["namespaceId", "cluster", "namespace"]));
    expect(body.required).toEqual(["service"]);
    expect(body.oneOf).toEqual([{ required: ["namespaceId"] }, { required: ["cluster", "namespace"] }]);
    expect(body.properties.cluster?.description).toContain("AKS cluster");
    const list = (doc.paths["/api/v1/deployments"]!.get as unknown as { parameters: { name: string }[] }).parameters.map((parameter) => parameter.name);
    expect(list).toEqual(["service", "cluster", "namespace", "environment", "status", "requestedBy", "limit", "before"]);
  });
});

describe("OpenAPI document: health", () => {
  const doc = openApiDocument("http://localhost:3000") as unknown as {
    paths: Record<
      string,
      Record<
        string,
        {
          parameters?: { name: string; schema: { enum?: string[] } }[];
          responses: Record<string, { content?: { "application/json": { schema: { $ref?: string } } } }>;
        }
      >
    >;
    components: { schemas: Record<string, { properties?: Record<string, { type?: string; items?: { $ref?: string } }>; required?: string[] }> };
  };

  it("describes GET /api/v1/health with the page's filters and a response schema", () => {
    const get = doc.paths["/api/v1/health"]!.get!;
    expect(get.parameters!.map((p) => p.name)).toEqual(["team", "environment", "status", "tier", "sort", "page", "pageSize"]);
    expect(get.parameters!.find((p) => p.name === "sort")!.schema.enum).toEqual(["health", "service", "evaluated"]);
    expect(get.parameters!.find((p) => p.name === "status")!.schema.enum).toEqual(["healthy", "degraded", "unhealthy", "unknown"]);
    expect(get.responses["200"]!.content!["application/json"].schema.$ref).toBe("#/components/schemas/HealthList");
    const list = doc.components.schemas.HealthList!;
    expect(Object.keys(list.properties!)).toEqual(["entries", "counts", "total", "page", "pageSize", "sort", "workspaces", "pollSeconds", "generatedAt"]);
  });

  it("puts environments in the service and thresholds per tier", () => {
    expect(doc.paths["/api/v1/services/{slug}"]!.get!.responses["200"]!.content!["application/json"].schema.$ref).toBe("#/components/schemas/ServiceDetail");
    expect(Object.keys(doc.components.schemas.ServiceEnvironment!.properties!)).toEqual(
      expect.arrayContaining(["state", "reasons", "stale", "lastRollout", "trend", "kubernetes", "telemetry"]),
    );
    expect(Object.keys(doc.paths["/api/v1/health-thresholds"]!)).toEqual(["get", "put"]);
    expect(doc.components.schemas.TierThresholds!.required).toEqual(
      expect.arrayContaining(["tier", "failureRatePct", "p95DurationMs", "availabilityPct", "restarts", "minRequests", "isDefault"]),
    );
  });
});

describe("OpenAPI document: responses", () => {
  type Response = { content?: Record<string, { schema?: { allOf?: { properties?: { error: { properties: { code: { enum: string[] } } } } }[] } }> };
  const doc = openApiDocument("http://localhost:3000") as unknown as {
    paths: Record<string, Record<string, { responses?: Record<string, Response> }>>;
    components: { schemas: { Error: { properties: { error: { properties: { code: { enum: string[] } } } } } } };
  };
  const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => method !== "parameters")
      .map(([method, operation]) => ({ path, method, operation })),
  );
  const codesOf = (response: Response | undefined) => response?.content?.["application/json"]?.schema?.allOf?.[1]?.properties?.error.properties.code.enum;

  it("lists every error code of lib/errors.ts, and the one for defects", () => {
    expect(doc.components.schemas.Error.properties.error.properties.code.enum).toEqual([...Object.keys(errorCodes), unexpectedError.code]);
    expect(codesOf(doc.paths["/api/v1/deployments"]!.post!.responses!["503"])).toEqual(["dependency_unavailable", "overloaded"]);
    expect(codesOf(doc.paths["/api/v1/teams"]!.get!.responses!["500"])).toEqual(["internal"]);
  });

  it("gives every operation a success response with a schema, and a 500", () => {
    expect(operations.length).toBeGreaterThan(40);
    for (const { path, method, operation } of operations) {
      const success = Object.entries(operation.responses ?? {}).filter(([status]) => status.startsWith("2"));
      expect(success, `${method} ${path}`).toHaveLength(1);
      const content = Object.values(success[0]![1].content ?? {});
      expect(content.length, `${method} ${path}`).toBeGreaterThan(0);
      for (const media of content) expect(media.schema, `${method} ${path}`).toBeDefined();
      if (path !== "/api/v1/openapi.json") expect(operation.responses!["500"], `${method} ${path}`).toBeDefined();
    }
  });
});
