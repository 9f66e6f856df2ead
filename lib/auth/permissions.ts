// The one place that decides who may do what. Pages, route handlers, server
// actions and jobs all ask `can`; each use case asks it itself and throws
// `forbidden(action)`, so no entry point can skip it. `teamsActorActsFor`
// answers the question pages and forms ask before that: which teams to offer.
import { AppError } from "@/lib/errors";

export interface UserActor {
  kind: "user";
  userId: string;
  name: string;
  email: string;
  isAdmin: boolean;
  /** Teams whose Entra groups the user was in at sign-in. */
  teams: { id: string; slug: string; name: string }[];
}

/** Background work acting on Wharf's own behalf (seed, jobs). */
export interface SystemActor {
  kind: "system";
  name: string;
}

/**
 * A CI pipeline calling the API with an Entra bearer token (decision 0016):
 * it deploys for the teams an admin mapped it to, and reads deployments; it
 * approves nothing, so a production deployment it asks for waits for a person.
 */
export interface PipelineActor {
  kind: "pipeline";
  pipelineIdentityId: string;
  /** The app registration's client id (`azp`/`appid`). */
  clientId: string;
  /** What audit events and deployments show as the requester, e.g. "Payments pipeline (pipeline)". */
  name: string;
  isAdmin: false;
  /** The teams it is mapped to (archived teams left out). */
  teams: { id: string; slug: string; name: string }[];
}

/**
 * A wall screen holding a display token's cookie (decisions 0026, 0036): it
 * may view its one board, or its playlist's boards, and nothing else. Never a
 * session: `currentActor` never returns one, so every page and the API refuse it.
 */
export interface DisplayActor {
  kind: "display";
  displayId: string;
  /** The board it shows; null for a playlist's screen. */
  boardId: string | null;
  /** The playlist it shows; null for a board's screen. */
  playlistId: string | null;
  /** The slug in its address: its board's or its playlist's. */
  boardSlug: string;
  /** The boards it may view: its board, or its playlist's boards as they are now. */
  boardIds: string[];
  /** What audit events show, e.g. "Screen “Team room” (display)". */
  name: string;
  isAdmin: false;
  teams: [];
}

export type Actor = UserActor | SystemActor | PipelineActor | DisplayActor;

export const actions = [
  "team:read",
  "team:create",
  "team:update",
  "team:archive",
  "user:read",
  "audit:read",
  "job:read",
  "job:retry",
  "service:read",
  "service:create",
  "service:update",
  "service:retire",
  "cluster:read",
  "cluster:manage",
  "namespace:read",
  "namespace:request",
  "namespace:approve",
  "namespace:manage",
  "deployment:read",
  "deployment:create",
  "deployment:approve",
  "deployment:cancel",
  "deployment:logs",
  "pipeline:read",
  "pipeline:manage",
  "health:read",
  "health:thresholds:edit",
  "cost:read",
  "cost:sync",
  "cost:allocation:edit",
  "budget:manage",
  "board:read",
  "board:manage",
  "board:view",
] as const;

export type Action = (typeof actions)[number];

/** What an action is about, where that matters for the decision. */
export interface Resource {
  teamId?: string;
  /** For `board:view`: the board a display asks for. */
  boardId?: string;
}

const anySignedIn: ReadonlySet<Action> = new Set([
  "team:read",
  "user:read",
  "service:read",
  "cluster:read",
  "namespace:read",
  "deployment:read",
  "health:read",
  "board:read",
]);

/** Members of the owning team may change what their team owns. */
const owningTeamMember: ReadonlySet<Action> = new Set([
  "service:create",
  "service:update",
  "service:retire",
  "namespace:request",
  // Approving a production deployment: another member of the team (never the requester; the use case checks that).
  "deployment:create",
  "deployment:approve",
  "deployment:cancel",
  // A team's boards and their screens; a board for everyone (no team) is for admins only.
  "board:manage",
  // A team's monthly cost budget and its alert thresholds (admins for any team).
  "budget:manage",
]);

/**
 * Cost is shown to the team it is about (and admins): a member asks once per team of theirs and sees those teams' figures.
 * A pod's log is the running code's own output (request data, secrets printed by mistake): the owning team's and admins'
 * only, though anyone signed in sees the deployment itself (decision 0051).
 */
const teamMemberReads: ReadonlySet<Action> = new Set(["cost:read", "deployment:logs"]);

/** What a pipeline's token may do: deployment reads are tenant-wide, as for anyone signed in. */
const pipelineActions: ReadonlySet<Action> = new Set(["deployment:read", "deployment:create"]);

export function can(actor: Actor, action: Action, resource: Resource = {}): boolean {
  if (actor.kind === "system") return true;
  if (actor.kind === "display") return action === "board:view" && resource.boardId !== undefined && actor.boardIds.includes(resource.boardId);
  if (actor.kind === "pipeline") {
    if (!pipelineActions.has(action)) return false;
    if (action === "deployment:read") return true;
    return resource.teamId !== undefined && actor.teams.some((team) => team.id === resource.teamId);
  }
  if (actor.isAdmin) return true;
  if (anySignedIn.has(action)) return true;
  if (owningTeamMember.has(action) || teamMemberReads.has(action))
    return resource.teamId !== undefined && actor.teams.some((team) => team.id === resource.teamId);
  return false;
}

/**
 * The teams an actor may act for with the owning-team actions (register a service, request a namespace, deploy,
 * roll back): "all" for a platform admin or Wharf itself, else the ids of its own teams (a pipeline's: the teams
 * an admin mapped it to). What forms offer and lists enable; `can` still decides each action.
 */
export function teamsActorActsFor(actor: Actor): "all" | string[] {
  if (actor.kind === "system" || actor.isAdmin) return "all";
  return actor.teams.map((team) => team.id);
}

/** Whether the actor may act for this team at all (see `teamsActorActsFor`). */
export function actsForTeam(actor: Actor, teamId: string): boolean {
  const teams = teamsActorActsFor(actor);
  return teams === "all" || teams.includes(teamId);
}

/** Whether the actor may act for some team: a viewer in no team may not. */
export function actsForAnyTeam(actor: Actor): boolean {
  const teams = teamsActorActsFor(actor);
  return teams === "all" || teams.length > 0;
}

export function roleOf(actor: Actor): "admin" | "member" | "viewer" | "system" | "pipeline" | "display" {
  if (actor.kind === "system") return "system";
  if (actor.kind === "display") return "display";
  if (actor.kind === "pipeline") return "pipeline";
  if (actor.isAdmin) return "admin";
  return actor.teams.length > 0 ? "member" : "viewer";
}

export function roleLabel(actor: Actor): string {
  switch (roleOf(actor)) {
    case "admin":
      return "Platform admin";
    case "member":
      return actor.kind === "user" ? `Member of ${actor.teams.map((team) => team.name).join(", ")}` : "Member";
    case "viewer":
      return "Viewer";
    case "system":
      return "Wharf";
    case "pipeline":
      return actor.kind === "pipeline" ? `Pipeline deploying for ${actor.teams.map((team) => team.name).join(", ") || "no team"}` : "Pipeline";
    case "display":
      return actor.kind === "display" ? `Screen showing ${actor.playlistId ? "playlist" : "board"} ${actor.boardSlug}` : "Screen";
  }
}

/** Where Wharf lists its platform admins (the Teams page), for a refusal to point at. */
export const platformAdminsPage = "/teams#platform-admins";

/**
 * Every refusal of what only a platform admin may do, in one shape: who can, whom to ask (and where they are listed),
 * and what to ask them for. `task` and `ask` are verb phrases: "create teams", "create the team for you".
 */
export function onlyPlatformAdmins(task: string, ask: string, after?: string): string {
  return `Only a platform admin can ${task}. Ask a platform admin (the Teams page lists them: ${platformAdminsPage}) to ${ask}.${after ? ` ${after}` : ""}`;
}

const refusals: Record<Action, string> = {
  "team:read": "You need to be signed in to see teams.",
  "team:create": onlyPlatformAdmins("create teams", "create the team and map it to its Entra groups"),
  "team:update": onlyPlatformAdmins("change teams", "make the change, for example to add your Entra group to a team"),
  "team:archive": onlyPlatformAdmins("archive teams", "archive the team"),
  "user:read": "You need to be signed in to see people.",
  "audit:read": onlyPlatformAdmins("read the audit log", "look up the events you need"),
  "job:read": onlyPlatformAdmins("see background jobs", "look at the job and its last error"),
  "job:retry": onlyPlatformAdmins("retry a failed background job", "retry it"),
  "service:read": "You need to be signed in to see the catalog.",
  "service:create": "You can register services only for a team you belong to. Pick one of your teams as the owner, or ask its members.",
  "service:update":
    "Only members of the owning team (and platform admins) can change this service. Ask a member of the team (its page lists them), or ask to join it.",
  "service:retire":
    "Only members of the owning team (and platform admins) can retire this service. Ask a member of the team (its page lists them), or ask to join it.",
  "cluster:read": "You need to be signed in to see clusters.",
  "cluster:manage": onlyPlatformAdmins("discover clusters and set their environment", "do it"),
  "namespace:read": "You need to be signed in to see namespaces.",
  "namespace:request": "You can request, change, withdraw and retry namespaces only for a team you belong to. Pick one of your teams, or ask its members.",
  "namespace:approve": onlyPlatformAdmins("approve or reject namespace requests", "decide the request"),
  "namespace:manage": onlyPlatformAdmins("re-apply a namespace or change the namespace policy", "make the change"),
  "deployment:read": "You need to be signed in to see deployments.",
  "deployment:create":
    "You can deploy only to a namespace of a team you belong to (a pipeline: of a team a platform " +
    "admin mapped it to in Admin → Pipelines). Ask one of its members, or ask to join the team.",
  "deployment:approve": "Only another member of the owning team, or a platform admin, can approve this deployment.",
  "deployment:cancel":
    "Only members of the owning team (and platform admins) can cancel or roll back its deployments. " +
    "Ask a member of the team (its page lists them), or ask to join it.",
  "deployment:logs": "A pod's log is shown to members of the owning team and platform admins. Ask a member of the team, or ask to join it.",
  "pipeline:read": onlyPlatformAdmins("see pipeline identities", "tell you which pipelines deploy for your team"),
  "pipeline:manage": onlyPlatformAdmins("add or revoke pipeline identities", "add or revoke the pipeline"),
  "health:read": "You need to be signed in to see health.",
  "health:thresholds:edit": onlyPlatformAdmins("change the health thresholds", "change them"),
  "cost:read": "Cost is shown to members of the teams it belongs to and to platform admins. Ask to join a team to see its cost.",
  "cost:sync": onlyPlatformAdmins("start a cost sync", "start one", "The sync also runs on its own every few hours."),
  "cost:allocation:edit": onlyPlatformAdmins("choose how idle capacity and system namespaces' cost are allocated", "change the rule"),
  "budget:manage": "Only members of the team and platform admins can set a team's cost budget. Ask a member of the team or an admin.",
  "board:read": "You need to be signed in to see wall boards.",
  "board:manage":
    "Only members of the owning team (and platform admins) can change this board and its screens; a board for everyone is managed by platform admins. " +
    `Ask a member of the team (its page lists them), or for a board for everyone a platform admin (${platformAdminsPage}).`,
  "board:view": "This screen's display token is for another board. Open the board it was created for, or create a token for this one.",
};

export function refusalMessage(action: Action): string {
  return refusals[action];
}

export function forbidden(action: Action): AppError {
  return new AppError("forbidden", refusalMessage(action));
}
