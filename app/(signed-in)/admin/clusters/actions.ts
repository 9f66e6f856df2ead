"use server";
import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/auth/current-actor";
import { isAppError } from "@/lib/errors";
import { refreshClusters } from "@/lib/clusters/refresh-clusters";
import { setClusterEnvironment } from "@/lib/clusters/set-cluster-environment";

export interface ClusterActionState {
  status: "idle" | "done" | "error";
  message?: string;
}

export async function refreshClustersAction(): Promise<ClusterActionState> {
  const actor = await requireActor();
  try {
    const result = await refreshClusters({ actor });
    revalidatePath("/admin/clusters");
    const failures = result.failures.map((failure) => `subscription ${failure.subscriptionId}: ${failure.message}`).join("; ");
    return {
      status: failures ? "error" : "done",
      message: `Found ${result.found} cluster${result.found === 1 ? "" : "s"}, ${result.reachable} reachable.${failures ? ` Could not list ${failures}. Try again in a minute.` : ""}`,
    };
  } catch (error) {
    if (isAppError(error)) return { status: "error", message: error.message };
    throw error;
  }
}

export async function setEnvironmentAction(_state: ClusterActionState, form: FormData): Promise<ClusterActionState> {
  const actor = await requireActor();
  const value = String(form.get("environment") ?? "");
  try {
    const cluster = await setClusterEnvironment({ actor, id: String(form.get("id") ?? ""), environment: value === "" ? null : value });
    revalidatePath("/admin/clusters");
    return { status: "done", message: `${cluster.name} is now ${cluster.environment ?? "without an environment"}.` };
  } catch (error) {
    if (isAppError(error)) return { status: "error", message: error.message };
    throw error;
  }
}
