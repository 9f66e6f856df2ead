// Cost Management stand-in: POST {scope}/providers/Microsoft.CostManagement/query
// and /forecast at subscription and resource-group scopes, for the real
// @azure/arm-costmanagement client. Answered in the service's order:
// authenticate (an ARM token), api-version, scope, body, then the tenant's QPU
// quota, then the rows a page at a time with a `$skiptoken` nextLink that
// must be POSTed the same body.
import { createHash, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Provider } from "oidc-provider";
import { authenticateArmCaller } from "../arm/authenticate";
import { sendArmError, sendArmJson } from "../arm/responses";
import { pathSegments } from "../arm/routes";
import { sandboxSubscriptionId } from "../clusters";
import { sandboxTenantId } from "../personas";
import { currencyRates } from "./amounts";
import { billedResources, resourceGroups } from "./estate";
import { BadQuery, evaluateForecast, evaluateQuery, monthsQueried, parseDefinition } from "./query";
import { QpuLedger, qpuQuotas } from "./quota";

export interface CostManagementOptions {
  provider: Provider;
  /** The sandbox's HTTPS origin; nextLinks point there. */
  origin: string;
  /** Billing currency, EUR by default (a West Europe tenant). */
  currency?: string;
  /** Rows per page; small, so clients really follow nextLink. */
  pageSize?: number;
  /** What "now" is for the data (MonthToDate, the 4-hour lag). */
  now?: () => Date;
  ledger?: QpuLedger;
  /** Divides the QPU quota windows of the default ledger (SANDBOX_COST_QUOTA_SPEED; 1: Azure's). */
  quotaSpeed?: number;
  /**
   * Fault injection: QPU other clients of the tenant spend just before this request is charged (0: none), so the
   * ledger itself refuses it or reports a window spent, as Cost Management does when a neighbour used the quota.
   */
  spentByOthers?: (req: IncomingMessage) => number;
  /** Fault injection, asked once the body is read; true when it answered. */
  intercept?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
}

export const defaultCostPageSize = 100;
export const qpuRetryAfterHeader = "x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after";

export type CostManagementHandler = ((req: IncomingMessage, res: ServerResponse) => Promise<void>) & {
  ledger: QpuLedger;
  currency: string;
  pageSize: number;
};

interface SkipToken {
  /** Offset of the page's first row. */
  o: number;
  /** Hash of the body the first page answered. */
  h: string;
  /** "now" of the first page, so every page answers the same data. */
  t: number;
}

const bodyHash = (body: unknown) => createHash("sha256").update(JSON.stringify(body)).digest("base64url").slice(0, 16);

function readSkipToken(value: string): SkipToken | undefined {
  try {
    const token = JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as SkipToken;
    return Number.isInteger(token.o) && typeof token.h === "string" && Number.isFinite(token.t) ? token : undefined;
  } catch {
    return undefined;
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** The throttled answer: only the QPU header says when to retry, as the real service's does. */
export function sendQpuThrottled(res: ServerResponse, retryAfterSeconds: number): void {
  sendArmJson(res, 429, { error: { code: "429", message: "Too many requests. Please retry." } }, { [qpuRetryAfterHeader]: String(retryAfterSeconds) });
}

export function createCostManagement(options: CostManagementOptions): CostManagementHandler {
  const currency = options.currency ?? "EUR";
  if (currencyRates[currency] === undefined) throw new Error(`sandbox Cost Management bills in ${Object.keys(currencyRates).join(", ")}, not ${currency}`);
  const pageSize = options.pageSize ?? defaultCostPageSize;
  const clock = options.now ?? (() => new Date());
  const ledger = options.ledger ?? new QpuLedger(Date.now, options.quotaSpeed ?? 1);

  const handler = async function handleCostManagement(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Read the body first: answering before it is consumed drops the connection under the client.
    const text = await readBody(req);
    if (await options.intercept?.(req, res)) return;
    const caller = await authenticateArmCaller(options.provider, req);
    if (!caller.ok) {
      sendArmError(res, 401, caller.code, caller.message, {
        "www-authenticate": `Bearer authorization_uri="${options.origin}/${sandboxTenantId}", error="invalid_token"`,
      });
      return;
    }
    const [pathPart, queryPart = ""] = (req.url ?? "/").split("?");
    const params = new URLSearchParams(queryPart);
    if (!params.get("api-version")) {
      sendArmError(res, 400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
      return;
    }
    const segments = pathSegments(pathPart ?? "/").map((s) => s.toLowerCase());
    const at = segments.findIndex((s, i) => s === "providers" && segments[i + 1] === "microsoft.costmanagement");
    const scope = segments.slice(0, at);
    const action = segments.slice(at + 2).join("/");
    const bySubscription = scope.length === 2 && scope[0] === "subscriptions";
    const byGroup = scope.length === 4 && scope[0] === "subscriptions" && scope[2] === "resourcegroups";
    if (at < 0 || (action !== "query" && action !== "forecast") || !(bySubscription || byGroup)) {
      sendArmError(
        res,
        501,
        "SandboxNotImplemented",
        "The sandbox Cost Management serves POST query and forecast at subscriptions/{id} " +
          `and subscriptions/{id}/resourceGroups/{name} scopes, not ${req.method} ${req.url}.`,
      );
      return;
    }
    if (req.method !== "POST") {
      sendArmError(
        res,
        405,
        "MethodNotAllowed",
        `The ${action} operation takes POST with a ${action === "query" ? "QueryDefinition" : "ForecastDefinition"} body, not ${req.method}.`,
      );
      return;
    }
    if (scope[1] !== sandboxSubscriptionId.toLowerCase()) {
      sendArmError(res, 404, "SubscriptionNotFound", `The subscription '${scope[1]}' could not be found.`);
      return;
    }
    const group = byGroup ? scope[3]! : undefined;
    if (group !== undefined && !resourceGroups.has(group)) {
      sendArmError(res, 404, "ResourceGroupNotFound", `Resource group '${group}' could not be found.`);
      return;
    }

    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      sendArmError(res, 400, "BadRequest", "The request body is not valid JSON.");
      return;
    }
    const rawToken = params.get("$skiptoken");
    const token = rawToken === null ? undefined : readSkipToken(rawToken);
    if (rawToken !== null && !token) {
      sendArmError(res, 400, "BadRequest", `Invalid $skiptoken '${rawToken}': use the nextLink of a previous answer as it is.`);
      return;
    }
    const now = token ? new Date(token.t) : clock();
    let query;
    try {
      query = parseDefinition(body, action, now);
    } catch (error) {
      if (error instanceof BadQuery) {
        sendArmError(res, 400, "BadRequest", error.message);
        return;
      }
      throw error;
    }
    if (token && token.h !== bodyHash(body)) {
      sendArmError(
        res,
        400,
        "BadRequest",
        "Invalid query definition: the $skiptoken belongs to another query; POST the same body to nextLink as to the first page.",
      );
      return;
    }

    const others = options.spentByOthers?.(req) ?? 0;
    if (others > 0) ledger.spend(others);
    // A year touches 13 months, more than the 10-second quota: charge at most that quota, or it could never run.
    const charge = ledger.charge(Math.min(monthsQueried(query), qpuQuotas[2].limit));
    if (!charge.ok) {
      sendQpuThrottled(res, charge.retryAfterSeconds);
      return;
    }
    const qpuHeaders = {
      "x-ms-ratelimit-microsoft.costmanagement-qpu-consumed": String(charge.consumed),
      "x-ms-ratelimit-microsoft.costmanagement-qpu-remaining": charge.remaining,
    };

    const estate = group === undefined ? billedResources : billedResources.filter((r) => r.resourceGroup === group);
    const table = action === "forecast" ? evaluateForecast(query, estate, currency, now) : evaluateQuery(query, estate, currency, now);
    if (table.rows.length === 0) {
      res.writeHead(204, { "x-ms-request-id": randomUUID(), ...qpuHeaders });
      res.end();
      return;
    }
    const offset = token?.o ?? 0;
    const rows = table.rows.slice(offset, offset + pageSize);
    const more = offset + pageSize < table.rows.length;
    const nextToken: SkipToken = { o: offset + pageSize, h: bodyHash(body), t: now.getTime() };
    const scopePath = group === undefined ? `subscriptions/${sandboxSubscriptionId}` : `subscriptions/${sandboxSubscriptionId}/resourceGroups/${group}`;
    const nextLink = more
      ? `${options.origin}/${scopePath}/providers/Microsoft.CostManagement/${action}?api-version=${encodeURIComponent(params.get("api-version")!)}` +
        `&$skiptoken=${Buffer.from(JSON.stringify(nextToken)).toString("base64url")}`
      : null;
    const id = randomUUID();
    sendArmJson(
      res,
      200,
      {
        id: `${scopePath}/providers/Microsoft.CostManagement/${action}/${id}`,
        name: id,
        type: `Microsoft.CostManagement/${action === "query" ? "query" : "forecast"}`,
        location: null,
        sku: null,
        eTag: null,
        properties: { nextLink, columns: table.columns, rows },
      },
      qpuHeaders,
    );
  };
  return Object.assign(handler, { ledger, currency, pageSize });
}
