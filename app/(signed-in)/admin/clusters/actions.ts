"use server";
import { revalidatePath } from "next/cache";
import { serverAction } from "@/lib/actions/server-action";
import type { ClusterActionState } from "@/lib/actions/action-state";
import { refreshClusters } from "@/lib/clusters/refresh-clusters";
import { setClusterEnvironment } from "@/lib/clusters/set-cluster-environment";

export const refreshClustersAction = serverAction(
  async (actor): Promise<ClusterActionState> => {
    const result = await refreshClusters({ actor });
    revalidatePath("/admin/clusters");
    const failures = result.failures.map((failure) => `subscription ${failure.subscriptionId}: ${failure.message}`).join("; ");
    return {
      status: failures ? "error" : "done",
      message:
        `Found ${result.found} cluster${result.found === 1 ? "" : "s"}, ${result.reachable} ` +
        `reachable.${failures ? ` Could not list ${failures}. Try again in a minute.` : ""}`,
    };
  },
  (error): ClusterActionState => ({ status: "error", message: error.message }),
);

export const setEnvironmentAction = serverAction(
  async (actor, _state: ClusterActionState, form: FormData): Promise<ClusterActionState> => {
    const value = String(form.get("environment") ?? "");
    const cluster = await setClusterEnvironment({ actor, id: String(form.get("id") ?? ""), environment: value === "" ? null : value });
    revalidatePath("/admin/clusters");
    return { status: "done", message: `${cluster.name} is now ${cluster.environment ?? "without an environment"}.` };
  },
  (error): ClusterActionState => ({ status: "error", message: error.message }),
);
