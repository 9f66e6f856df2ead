"use server";
import { revalidatePath } from "next/cache";
import { serverAction } from "@/lib/actions/server-action";
import type { ActionState } from "@/lib/actions/action-state";
import { requestCostSync } from "@/lib/costs/request-cost-sync";

export const syncCostsAction = serverAction(
  async (actor): Promise<ActionState<never>> => {
    const result = await requestCostSync({ actor });
    revalidatePath("/costs");
    return { status: "done", message: result.message };
  },
  (error): ActionState<never> => ({ status: "error", message: error.message }),
);
