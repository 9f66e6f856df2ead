// oidc-provider ships no types and @types/oidc-provider is not installed; this
// declares only the surface the sandbox uses, so the rest stays strictly typed.
declare module "oidc-provider" {
  import type { IncomingMessage, ServerResponse } from "node:http";

  export interface KoaContext {
    method: string;
    path: string;
    status: number;
    type: string;
    body: unknown;
    req: IncomingMessage;
    res: ServerResponse;
    oidc?: OidcContext;
  }

  export interface OidcContext {
    route?: string;
    params?: Record<string, unknown>;
    body?: Record<string, unknown>;
    client?: { clientId: string };
    session?: { accountId?: string; grantIdFor(clientId: string): string | undefined };
    result?: { login?: { accountId: string }; consent?: { grantId?: string } };
    entities: { Account?: { accountId: string } };
  }

  export interface AdapterPayload {
    uid?: string;
    userCode?: string;
    grantId?: string;
    consumed?: number;
    [key: string]: unknown;
  }

  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  export interface Account {
    accountId: string;
    claims(use: string, scope: string): Promise<Record<string, unknown>> | Record<string, unknown>;
  }

  export interface StoredToken {
    accountId?: string;
    clientId?: string;
    scope?: string;
    isExpired: boolean;
  }

  export interface Grant {
    accountId?: string;
    clientId?: string;
    addOIDCScope(scope: string): void;
    save(): Promise<string>;
  }

  export interface InteractionDetails {
    uid: string;
    prompt: { name: string; reasons: string[] };
    params: Record<string, unknown>;
    session?: { accountId?: string; uid: string };
    exp: number;
    save(ttl: number): Promise<string>;
  }

  export interface Session {
    accountId?: string;
    authorizations?: unknown;
    persist(): Promise<string>;
  }

  export type InteractionResult = { login: { accountId: string; remember?: boolean } } | { error: string; error_description?: string };

  export class Check {
    constructor(reason: string, description: string, check: (ctx: KoaContext & { oidc: OidcContext }) => boolean);
    static REQUEST_PROMPT: true;
    static NO_NEED_TO_PROMPT: false;
  }

  export interface Prompt {
    name: string;
    checks: Check[];
  }

  export interface Policy extends Array<Prompt> {
    get(name: string): Prompt | undefined;
    remove(name: string): void;
  }

  export const interactionPolicy: { Check: typeof Check; base(): Policy };

  export type Configuration = Record<string, unknown>;

  export class Provider {
    constructor(issuer: string, configuration: Configuration);
    readonly issuer: string;
    AccessToken: { find(value: string): Promise<StoredToken | undefined> };
    ClientCredentials: { find(value: string): Promise<StoredToken | undefined> };
    Grant: {
      new (init: { accountId?: string; clientId: string }): Grant;
      find(id: string): Promise<Grant | undefined>;
    };
    Session: { findByUid(uid: string): Promise<Session | undefined> };
    Client: { prototype: { redirectUriAllowed(this: { redirectUris: string[] }, value: string): boolean } };
    use(middleware: (ctx: KoaContext, next: () => Promise<void>) => Promise<void>): void;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(req: IncomingMessage, res: ServerResponse, result: InteractionResult, options?: { mergeWithLastSubmission?: boolean }): Promise<void>;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }
}
