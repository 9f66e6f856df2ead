"use server";
import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/auth/current-actor";
import { isAppError } from "@/lib/errors";
import { retryJob } from "@/lib/jobs/retry-job";

export interface JobActionState {
  status: "idle" | "done" | "error";
  message?: string;
}

export async function retryJobAction(_state: JobActionState, form: FormData): Promise<JobActionState> {
  const actor = await requireActor();
  try {
    const job = await retryJob({ actor, id: String(form.get("id") ?? "") });
    revalidatePath("/admin/jobs");
    return { status: "done", message: `Queued again: attempt ${job.attempts + 1} starts within seconds, with a fresh retry time.` };
  } catch (error) {
    if (isAppError(error)) return { status: "error", message: error.message };
    throw error;
  }
}
