// Idempotency-Key on POST /api/v1/deployments (decision 0039). Pipelines
// retry a request that timed out; with a key, the retry gets the first answer
// instead of a second deployment. A key belongs to its caller (a person or a
// pipeline), is kept 24 h, and only a created deployment is remembered: a
// refused request wrote nothing, so its retry is judged again.
//
// Race-safe across web replicas: the transaction that creates the deployment
// first takes an advisory lock on (caller, key), then looks the key up, and
// writes it with the deployment. A second request with the key waits for the
// first's transaction and then answers from what it stored.
import { createHash } from "node:crypto";
import type { Actor } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";

type Tx = Prisma.TransactionClient;

export const idempotencyKeyLifetimeMs = 24 * 60 * 60 * 1000;
export const maxIdempotencyKeyLength = 255;
/** Letters, digits and - _ . : ~ + / = : a UUID, a ULID, base64 or a pipeline's run id all fit. */
const keyCharacters = /^[A-Za-z0-9\-_.:~+/=]+$/;

export interface IdempotencyClaim {
  scope: string;
  key: string;
  requestHash: string;
}

/** What a key already stored answers: the first response again, its body's JSON text byte for byte. */
export interface IdempotentReplay {
  status: number;
  body: string;
}

/**
 * The Idempotency-Key header's value, or null when there is none. The IETF
 * draft sends it as a Structured Field string ("…"); a bare token is taken too.
 */
export function parseIdempotencyKey(header: string | null): string | null {
  if (header === null) return null;
  const trimmed = header.trim();
  const key = trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed;
  if (key.length === 0)
    throw new AppError("invalid_input", "The Idempotency-Key header is empty: send a unique value per deployment, e.g. a UUID, or leave it out.");
  if (key.length > maxIdempotencyKeyLength)
    throw new AppError("invalid_input", `The Idempotency-Key is ${key.length} characters long: use at most ${maxIdempotencyKeyLength}, e.g. a UUID.`);
  if (!keyCharacters.test(key))
    throw new AppError(
      "invalid_input",
      "The Idempotency-Key may hold only letters, digits and - _ . : ~ + / = (no spaces or other characters): e.g. a UUID or your pipeline's run id.",
    );
  return key;
}

/** Whose keys these are: a person's and a pipeline's never meet, even when the values are equal. */
export function idempotencyScope(actor: Actor): string {
  if (actor.kind === "user") return `user:${actor.userId}`;
  if (actor.kind === "pipeline") return `pipeline:${actor.clientId}`;
  throw new AppError("forbidden", "Only a signed-in person or a pipeline can send an Idempotency-Key.");
}

/** The same JSON whatever the order of its keys or its whitespace. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([name, field]) => `${JSON.stringify(name)}:${canonicalJson(field)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function requestHash(input: unknown): string {
  return createHash("sha256").update(canonicalJson(input)).digest("hex");
}

export function idempotencyClaim(actor: Actor, key: string, input: unknown): IdempotencyClaim {
  return { scope: idempotencyScope(actor), key, requestHash: requestHash(input) };
}

function replayOf(claim: IdempotencyClaim, stored: { requestHash: string; responseStatus: number; responseBody: string }): IdempotentReplay {
  if (stored.requestHash !== claim.requestHash)
    throw new AppError(
      "unprocessable_content",
      `The Idempotency-Key "${claim.key}" was already used with another request body in the last 24 hours: ` +
        "send a new key for a different deployment, or the same body to get the first answer again.",
      { path: ["Idempotency-Key"] },
    );
  return { status: stored.responseStatus, body: stored.responseBody };
}

const storedFields = { requestHash: true, responseStatus: true, responseBody: true } as const;

/** Before any work: the first answer if the key is known (or a 422 for another body); null when it is new. Prunes expired keys. */
export async function findIdempotentReplay(claim: IdempotencyClaim, now = new Date()): Promise<IdempotentReplay | null> {
  const prisma = getPrisma();
  await prisma.deploymentIdempotencyKey.deleteMany({ where: { expiresAt: { lt: now } } });
  const stored = await prisma.deploymentIdempotencyKey.findFirst({
    where: { scope: claim.scope, key: claim.key, expiresAt: { gte: now } },
    select: storedFields,
  });
  return stored ? replayOf(claim, stored) : null;
}

/**
 * Inside the creating transaction, before anything else: waits for any other
 * transaction holding the same caller's key, then answers as findIdempotentReplay.
 */
export async function claimIdempotencyKey(tx: Tx, claim: IdempotencyClaim, now = new Date()): Promise<IdempotentReplay | null> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`wharf:idempotency:${claim.scope}:${claim.key}`}, 0))`;
  const stored = await tx.deploymentIdempotencyKey.findUnique({
    where: { scope_key: { scope: claim.scope, key: claim.key } },
    select: { ...storedFields, expiresAt: true },
  });
  if (stored && stored.expiresAt >= now) return replayOf(claim, stored);
  if (stored) await tx.deploymentIdempotencyKey.delete({ where: { scope_key: { scope: claim.scope, key: claim.key } } });
  return null;
}

/** In the same transaction as the deployment: the answer a retry with this key gets. */
export async function rememberIdempotentResponse(
  tx: Tx,
  claim: IdempotencyClaim,
  deploymentId: string,
  response: IdempotentReplay,
  now = new Date(),
): Promise<void> {
  await tx.deploymentIdempotencyKey.create({
    data: {
      scope: claim.scope,
      key: claim.key,
      requestHash: claim.requestHash,
      deploymentId,
      responseStatus: response.status,
      responseBody: response.body,
      createdAt: now,
      expiresAt: new Date(now.getTime() + idempotencyKeyLifetimeMs),
    },
  });
}
