"use server";
import { revalidatePath } from "next/cache";
import { serverAction } from "@/lib/actions/server-action";
import type { JobActionState } from "@/lib/actions/action-state";
import { retryJob } from "@/lib/jobs/retry-job";

export const retryJobAction = serverAction(
  async (actor, _state: JobActionState, form: FormData): Promise<JobActionState> => {
    const job = await retryJob({ actor, id: String(form.get("id") ?? "") });
    revalidatePath("/admin/jobs");
    return { status: "done", message: `Queued again: attempt ${job.attempts + 1} starts within seconds, with a fresh retry time.` };
  },
  (error): JobActionState => ({ status: "error", message: error.message }),
);
