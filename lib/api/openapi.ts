// The OpenAPI 3.1 document, generated from the same zod schemas the API
// validates with, so the two cannot drift apart.
import { z } from "zod";
import { serviceInput } from "@/lib/catalog/service-input";
import { serviceQuery } from "@/lib/catalog/list-services";
import { createTeamInput, updateTeamInput } from "@/lib/teams/team-input";

const schema = (type: z.ZodType, io: "input" | "output" = "input") => z.toJSONSchema(type, { io, unrepresentable: "any", target: "draft-2020-12" });

const errorSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string", enum: ["invalid_input", "unauthenticated", "forbidden", "not_found", "conflict", "payload_too_large", "dependency_unavailable"] },
        message: { type: "string", description: "What went wrong and what to change." },
        path: { type: "array", items: { oneOf: [{ type: "string" }, { type: "integer" }] }, description: "The field the message is about." },
      },
    },
  },
};

const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [String(status), { description: { 400: "Bad input", 401: "No session", 403: "Not allowed", 404: "Not found", 409: "Conflict", 413: "Body too large" }[status], content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } }]));

const json = (ref: string, description: string) => ({ description, content: { "application/json": { schema: { $ref: `#/components/schemas/${ref}` } } } });
const slugParameter = (what: string) => ({ name: "slug", in: "path", required: true, schema: { type: "string" }, description: `The ${what}'s slug.` });

function queryParameters(): object[] {
  const shape = serviceQuery.shape;
  return Object.entries(shape).map(([name, field]) => ({ name, in: "query", required: false, schema: schema(field as z.ZodType), description: (field as z.ZodType).description }));
}

export function openApiDocument(serverUrl: string) {
  return {
    openapi: "3.1.0",
    info: { title: "Wharf API", version: "1.0.0", description: "Everything a Wharf page can do, for scripts and pipelines. Authenticate with a Wharf session cookie (sign in through the browser)." },
    servers: [{ url: serverUrl }],
    security: [{ session: [] }],
    paths: {
      "/api/v1/services": {
        get: { summary: "List and search services", operationId: "listServices", parameters: queryParameters(), responses: { 200: json("ServicePage", "A page of services"), ...errors(400, 401) } },
        post: { summary: "Register a service", operationId: "createService", requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/ServiceInput" } } } }, responses: { 201: json("Service", "The registered service"), ...errors(400, 401, 403, 409) } },
      },
      "/api/v1/services/{slug}": {
        parameters: [slugParameter("service")],
        get: { summary: "Get a service with its dependencies both ways", operationId: "getService", responses: { 200: json("Service", "The service"), ...errors(401, 404) } },
        put: { summary: "Replace a service's description (all fields; the slug stays)", operationId: "updateService", requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/ServiceInput" } } } }, responses: { 200: json("Service", "The changed service"), ...errors(400, 401, 403, 404, 409) } },
        delete: { summary: "Retire a service (kept, with its history; its slug is never reused)", operationId: "retireService", responses: { 200: json("Service", "The retired service"), ...errors(401, 403, 404, 409) } },
      },
      "/api/v1/services/{slug}/catalog-info.yaml": {
        parameters: [slugParameter("service")],
        get: { summary: "Export one service as a Backstage catalog-info.yaml", operationId: "exportService", responses: { 200: { description: "YAML", content: { "application/yaml": {} } }, ...errors(401, 404) } },
      },
      "/api/v1/catalog-info.yaml": {
        get: { summary: "Export the active catalog (or ?team=) as one multi-document catalog-info.yaml", operationId: "exportCatalog", parameters: [{ name: "team", in: "query", schema: { type: "string" } }], responses: { 200: { description: "YAML", content: { "application/yaml": {} } }, ...errors(401) } },
      },
      "/api/v1/catalog/import/preview": {
        post: { summary: "Preview a catalog-info.yaml import: per document, create, update, unchanged, refused or invalid, with errors by line. Writes nothing.", operationId: "previewImport", requestBody: { required: true, content: { "application/yaml": { schema: { type: "string" } } } }, responses: { 200: { description: "The plan" }, ...errors(401, 413) } },
      },
      "/api/v1/catalog/import/apply": {
        post: {
          summary: "Import the confirmed documents of a catalog-info.yaml, all or none",
          operationId: "applyImport",
          requestBody: { required: true, content: { "application/json": { schema: { type: "object", required: ["file", "confirmed"], properties: { file: { type: "string" }, confirmed: { type: "array", items: { type: "string" } } } } } } },
          responses: { 200: { description: "Created and updated slugs" }, ...errors(400, 401, 403, 409, 413) },
        },
      },
      "/api/v1/teams": {
        get: { summary: "List teams", operationId: "listTeams", parameters: [{ name: "includeArchived", in: "query", schema: { type: "boolean" } }], responses: { 200: { description: "Teams" }, ...errors(401) } },
        post: { summary: "Create a team (admins)", operationId: "createTeam", requestBody: { required: true, content: { "application/json": { schema: schema(createTeamInput) } } }, responses: { 201: { description: "The team" }, ...errors(400, 401, 403, 409) } },
      },
      "/api/v1/teams/{slug}": {
        parameters: [slugParameter("team")],
        get: { summary: "Get a team and its members", operationId: "getTeam", responses: { 200: { description: "The team" }, ...errors(401, 404) } },
        patch: { summary: "Rename a team or change its Entra groups (admins)", operationId: "updateTeam", requestBody: { required: true, content: { "application/json": { schema: schema(updateTeamInput) } } }, responses: { 200: { description: "The team" }, ...errors(400, 401, 403, 404, 409) } },
        delete: { summary: "Archive a team (admins)", operationId: "archiveTeam", responses: { 200: { description: "The archived team" }, ...errors(401, 403, 404, 409) } },
      },
      "/api/v1/me": { get: { summary: "The signed-in user, role and teams", operationId: "me", responses: { 200: { description: "You" }, ...errors(401) } } },
      "/api/v1/audit-events": { get: { summary: "Audit log (admins)", operationId: "listAuditEvents", responses: { 200: { description: "Events, newest first" }, ...errors(400, 401, 403) } } },
    },
    components: {
      securitySchemes: { session: { type: "apiKey", in: "cookie", name: "wharf_session" } },
      schemas: {
        Error: errorSchema,
        ServiceInput: schema(serviceInput),
        Service: {
          allOf: [
            schema(serviceInput, "output"),
            {
              type: "object",
              properties: {
                id: { type: "string", format: "uuid" },
                ownerTeam: { type: "object", properties: { id: { type: "string" }, slug: { type: "string" }, name: { type: "string" } } },
                retiredAt: { type: ["string", "null"], format: "date-time" },
                createdAt: { type: "string", format: "date-time" },
                updatedAt: { type: "string", format: "date-time" },
              },
            },
          ],
        },
        ServicePage: {
          type: "object",
          properties: { services: { type: "array", items: { $ref: "#/components/schemas/Service" } }, total: { type: "integer" }, page: { type: "integer" }, pageSize: { type: "integer" } },
        },
      },
    },
  };
}
