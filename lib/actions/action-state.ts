// What Wharf's server actions hand back to the forms that call them, defined
// once here so components never import from app/ (issue 18): the form shows
// `message` (beside `field`, when the input path is known) and puts `values`
// back after React resets it.
import type { ImportPlan } from "@/lib/catalog/import-catalog";

/** The state of a form driven by `useActionState`. */
export interface ActionState<Values = Record<string, string>> {
  status: "idle" | "done" | "error";
  message?: string;
  /** The input path of the field the message is about, e.g. "deploySpec.memoryLimit". */
  field?: string;
  values?: Values;
}

/** The result of an action a component awaits itself (not through `useActionState`). */
export type ActionOutcome<Result extends object> = ({ ok: true } & Result) | { ok: false; message: string };

export type ServiceFormState = ActionState;
export type TeamFormState = ActionState;
export type PipelineFormState = ActionState<{ clientId?: string; objectId?: string; displayName?: string; teamIds?: string[] }>;
export type JobActionState = ActionState<never>;
export type ClusterActionState = ActionState<never>;

/** The import plan without the parsed services, which the browser has no use for. */
export type ImportPlanSummary = Omit<ImportPlan, "items"> & { items: Omit<ImportPlan["items"][number], "service">[] };
export type PreviewOutcome = ActionOutcome<{ plan: ImportPlanSummary }>;
export type ApplyOutcome = ActionOutcome<{ created: string[]; updated: string[] }>;

export type BoardFormState = ActionState<{ slug?: string; name?: string; teamId?: string }>;
/** Creating a screen's display token: `url` carries the token, shown this once. */
export type DisplayTokenState = ActionState<{ label?: string }> & { url?: string; expiresAt?: string };
export type SaveBoardOutcome = ActionOutcome<{ updatedAt: string }>;
export type SavePlaylistOutcome = ActionOutcome<{ slug: string }>;
