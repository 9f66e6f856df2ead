// Sign-in with Entra ID (or the sandbox): authorization code flow with PKCE,
// state and nonce, then a database session.
import { randomBytes } from "node:crypto";
import { CryptoProvider, AuthError } from "@azure/msal-node";
import type { WharfConfig } from "@/lib/config";
import { getPrisma } from "@/lib/db/client";
import { msalClient } from "@/lib/auth/msal";
import { openFlow, sealFlow } from "@/lib/auth/flow-cookie";
import { createSession, sessionAuditId } from "@/lib/auth/session";
import { fetchMemberGroups, hasGroupOverage } from "@/lib/auth/group-overage";
import { actorForUser } from "@/lib/auth/actor";
import { safeReturnTo } from "@/lib/auth/return-to";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";

export const signInScopes = ["User.Read"];

export type SignInFailure =
  "consent_denied" | "flow_expired" | "state_mismatch" | "code_rejected" | "nonce_mismatch" | "wrong_tenant" | "idp_unavailable" | "idp_error";

export class SignInError extends Error {
  constructor(
    readonly failure: SignInFailure,
    message: string,
  ) {
    super(message);
    this.name = "SignInError";
  }
}

export function redirectUri(config: Pick<WharfConfig, "publicUrl">): string {
  return `${config.publicUrl}/auth/callback`;
}

export async function beginSignIn(config: WharfConfig, returnTo: string | null): Promise<{ url: string; flowCookie: string }> {
  const pkce = await new CryptoProvider().generatePkceCodes();
  const flow = {
    state: randomBytes(24).toString("base64url"),
    nonce: randomBytes(24).toString("base64url"),
    codeVerifier: pkce.verifier,
    returnTo: safeReturnTo(returnTo, config.publicUrl),
  };
  let url: string;
  try {
    url = await msalClient(config.identity).getAuthCodeUrl({
      scopes: signInScopes,
      redirectUri: redirectUri(config),
      codeChallenge: pkce.challenge,
      codeChallengeMethod: "S256",
      state: flow.state,
      nonce: flow.nonce,
      responseMode: "query",
    });
  } catch (error) {
    throw new SignInError("idp_unavailable", describeIdpError(error));
  }
  return { url, flowCookie: await sealFlow(flow, config.sessionSecret) };
}

function describeIdpError(error: unknown): string {
  if (error instanceof AuthError) return `${error.errorCode}: ${error.errorMessage}`.slice(0, 300);
  return error instanceof Error ? error.message.slice(0, 300) : "unknown error";
}

interface CallbackQuery {
  code?: string | null;
  state?: string | null;
  error?: string | null;
  error_description?: string | null;
}

type Claims = Record<string, unknown>;

const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : []);

export async function completeSignIn(
  config: WharfConfig,
  query: CallbackQuery,
  flowCookie: string | undefined,
): Promise<{ token: string; expiresAt: Date; returnTo: string }> {
  const flow = await openFlow(flowCookie, config.sessionSecret);
  if (query.error) {
    if (query.error === "access_denied" || query.error === "consent_required") {
      throw new SignInError("consent_denied", query.error_description ?? "Sign-in was cancelled or consent was not given.");
    }
    throw new SignInError("idp_error", `${query.error}: ${query.error_description ?? ""}`.trim());
  }
  if (!flow) throw new SignInError("flow_expired", "The sign-in took longer than 10 minutes or was started in another browser.");
  if (!query.state || query.state !== flow.state)
    throw new SignInError("state_mismatch", "The answer from the identity provider does not belong to this sign-in.");
  if (!query.code) throw new SignInError("idp_error", "The identity provider returned no authorization code.");

  let result;
  try {
    result = await msalClient(config.identity).acquireTokenByCode({
      code: query.code,
      codeVerifier: flow.codeVerifier,
      redirectUri: redirectUri(config),
      scopes: signInScopes,
      state: flow.state,
      nonce: flow.nonce,
    });
  } catch (error) {
    if (error instanceof AuthError && error.errorCode === "nonce_mismatch") {
      throw new SignInError("nonce_mismatch", "The ID token was not issued for this sign-in.");
    }
    if (error instanceof AuthError && /invalid_grant/.test(`${error.errorCode} ${error.errorMessage}`)) {
      throw new SignInError("code_rejected", "The sign-in code was already used or has expired.");
    }
    throw new SignInError("idp_unavailable", describeIdpError(error));
  }
  const claims = (result.idTokenClaims ?? {}) as Claims;
  if (claims.nonce !== flow.nonce) throw new SignInError("nonce_mismatch", "The ID token was not issued for this sign-in.");
  const tenantId = text(claims.tid);
  const objectId = text(claims.oid);
  if (!objectId || tenantId !== config.identity.tenantId) {
    throw new SignInError(
      "wrong_tenant",
      `Accounts from tenant ${tenantId ?? "(none)"} cannot sign in to this Wharf; it serves tenant ${config.identity.tenantId}.`,
    );
  }

  let groupIds = strings(claims.groups);
  if (hasGroupOverage(claims)) {
    try {
      groupIds = await fetchMemberGroups(result.accessToken, config.identity);
    } catch (error) {
      throw new SignInError("idp_unavailable", `Your groups could not be read from Microsoft Graph (${describeIdpError(error)}).`);
    }
  }

  const profile = {
    name: text(claims.name) ?? text(claims.preferred_username) ?? objectId,
    email: text(claims.preferred_username) ?? text(claims.email) ?? "",
    groupIds,
    appRoles: strings(claims.roles),
    lastSignInAt: new Date(),
  };
  const user = await getPrisma().user.upsert({
    where: { tenantId_entraObjectId: { tenantId, entraObjectId: objectId } },
    create: { tenantId, entraObjectId: objectId, ...profile },
    update: profile,
  });
  const session = await createSession(user.id, config.session);
  const actor = await actorForUser(user, config.identity);
  await recordAuditEvent(getPrisma(), {
    actor,
    action: "auth.sign_in",
    resourceType: "session",
    resourceId: sessionAuditId(session.token),
    outcome: "success",
    after: { groups: groupIds.length, roles: profile.appRoles, teams: actor.teams.map((team) => team.slug) },
  });
  return { ...session, returnTo: flow.returnTo };
}

export const signInFailureText: Record<SignInFailure, { title: string; advice: string }> = {
  consent_denied: {
    title: "Sign-in was cancelled",
    advice: "You cancelled sign-in or did not give consent. Try again and accept, or ask your admin to grant consent for Wharf.",
  },
  flow_expired: { title: "This sign-in expired", advice: "Sign-in has to finish within 10 minutes, in the same browser. Start again." },
  state_mismatch: {
    title: "This sign-in could not be verified",
    advice: "The answer did not match the sign-in this browser started, which can happen with an old tab or a forged link. Start again from Wharf.",
  },
  code_rejected: {
    title: "The sign-in code was rejected",
    advice: "The code from the identity provider was already used or has expired, for example after a page reload. Start again.",
  },
  nonce_mismatch: {
    title: "The identity token could not be verified",
    advice: "The token was not issued for this sign-in. Start again; if it keeps happening, tell your platform team.",
  },
  wrong_tenant: { title: "This account cannot sign in here", advice: "Use an account of your organisation's directory." },
  idp_unavailable: { title: "The identity provider could not be reached", advice: "Entra ID (or the sandbox) did not answer. Wait a moment and try again." },
  idp_error: {
    title: "The identity provider refused the sign-in",
    advice: "Try again; if it keeps happening, tell your platform team the code below and when it happened: the identity provider's answer is in Wharf's log.",
  },
};
