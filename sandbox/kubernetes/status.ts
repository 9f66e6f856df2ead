// `Status` bodies exactly as the API server words them: clients (kubectl,
// client-node, Wharf's own error mapping) branch on `reason` and `code`, and
// people read `message`, so both must match what a real cluster returns.
import { groupKind, groupResource, type ResourceType } from "./resources";

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, never>;
  status: "Success" | "Failure";
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** A request the API server refuses; `api-server.ts` turns it into its Status response. */
export class KubeError extends Error {
  constructor(readonly status: Status) {
    super(status.message);
  }
}

function failure(code: number, reason: string, message: string, details?: StatusDetails): KubeError {
  const status: Status = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code };
  if (details) status.details = details;
  return new KubeError(status);
}

type TypeRef = Pick<ResourceType, "group" | "plural" | "kind">;

function resourceDetails(type: TypeRef, name: string): StatusDetails {
  return type.group ? { name, group: type.group, kind: type.plural } : { name, kind: type.plural };
}

export function notFound(type: TypeRef, name: string): KubeError {
  return failure(404, "NotFound", `${groupResource(type)} "${name}" not found`, resourceDetails(type, name));
}

export function alreadyExists(type: TypeRef, name: string): KubeError {
  return failure(409, "AlreadyExists", `${groupResource(type)} "${name}" already exists`, resourceDetails(type, name));
}

export function conflict(type: TypeRef, name: string, why: string): KubeError {
  return failure(409, "Conflict", `Operation cannot be fulfilled on ${groupResource(type)} "${name}": ${why}`, resourceDetails(type, name));
}

/** 403 from RBAC, worded as the API server's authorizer words it. */
export function rbacForbidden(type: TypeRef, verb: string, user: string, namespace: string | undefined, name?: string): KubeError {
  const subject = name ? `${groupResource(type)} "${name}"` : groupResource(type);
  const scope = namespace ? `in the namespace "${namespace}"` : "at the cluster scope";
  return failure(
    403,
    "Forbidden",
    `${subject} is forbidden: User "${user}" cannot ${verb} resource "${type.plural}" in API group "${type.group}" ${scope}`,
    resourceDetails(type, name ?? ""),
  );
}

export const staleObjectMessage = "the object has been modified; please apply your changes to the latest version and try again";

export function forbidden(type: TypeRef, name: string, why: string): KubeError {
  return failure(403, "Forbidden", `${groupResource(type)} "${name}" is forbidden: ${why}`, resourceDetails(type, name));
}

/** 422 Invalid: one message listing every cause, as field.ErrorList.ToAggregate() prints it. */
export function invalid(type: TypeRef, name: string, causes: StatusCause[]): KubeError {
  const parts = causes.map((cause) => (cause.field ? `${cause.field}: ${cause.message}` : cause.message));
  const summary = parts.length === 1 ? parts[0] : `[${parts.join(", ")}]`;
  const details: StatusDetails = type.group ? { name, group: type.group, kind: type.kind, causes } : { name, kind: type.kind, causes };
  return failure(422, "Invalid", `${groupKind(type)} "${name}" is invalid: ${summary}`, details);
}

export function badRequest(message: string): KubeError {
  return failure(400, "BadRequest", message);
}

/** A patch that cannot be applied to the object: the server's generic 422. */
export function unprocessable(detail: string): KubeError {
  return failure(422, "Invalid", `the server rejected our request due to an error in our request: ${detail}`);
}

export function unauthorized(): KubeError {
  return failure(401, "Unauthorized", "Unauthorized");
}

export function methodNotAllowed(method: string): KubeError {
  return failure(405, "MethodNotAllowed", `the server does not allow this method on the requested resource (${method})`);
}

export function notFoundPath(): KubeError {
  return failure(404, "NotFound", "the server could not find the requested resource");
}

export function unsupportedMediaType(contentType: string): KubeError {
  return failure(
    415,
    "UnsupportedMediaType",
    "the body of the request was in an unknown format - the sandbox accepts application/json, application/yaml, application/json-patch+json, " +
      `application/merge-patch+json, application/strategic-merge-patch+json and application/apply-patch+yaml, not "${contentType}"`,
  );
}

export function expired(message: string): KubeError {
  return failure(410, "Expired", message);
}

export function gone(message: string): KubeError {
  return failure(410, "Gone", message);
}

export function internalError(message: string): KubeError {
  return failure(500, "InternalError", `Internal error occurred: ${message}`);
}

/** The body DELETE returns for most resources once the object is gone. */
export function deleted(type: TypeRef, name: string, uid: string): Status {
  const details = { ...resourceDetails(type, name), uid };
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", details, code: 200 };
}
