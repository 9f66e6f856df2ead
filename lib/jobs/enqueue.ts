// Puts work on a queue. The data is checked against the queue's schema here,
// so a producer's mistake fails where it is made, not later in a worker.
import { getBoss } from "@/lib/jobs/boss";
import { queueDataSchemas, queueSettings, type QueueName } from "@/lib/jobs/queues";

export interface EnqueueOptions {
  /** What the job is about (a request id). On keyed queues, one queued or running job per key. */
  singletonKey?: string;
  /** Run no earlier than this many seconds from now. */
  startAfterSeconds?: number;
  /**
   * At most one such job per slot of this many seconds (slots start at multiples of it since the epoch), whether
   * the first is still queued or already done: pg-boss's throttle.
   */
  singletonSeconds?: number;
}

/** The job's id, or null when a job with the same key is already queued or running (or, throttled, was sent in the slot). */
export async function enqueue(queue: QueueName, data: Record<string, unknown>, options: EnqueueOptions = {}): Promise<string | null> {
  const parsed = queueDataSchemas[queue].safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${queue} job data is invalid at ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  if (queueSettings[queue].keyed && !options.singletonKey) {
    throw new Error(`${queue} jobs need a singletonKey (what the job is about, such as the request id), so the same work is never queued twice.`);
  }
  const boss = await getBoss();
  return boss.send(queue, parsed.data, {
    singletonKey: options.singletonKey,
    startAfter: options.startAfterSeconds && options.startAfterSeconds > 0 ? Math.ceil(options.startAfterSeconds) : undefined,
    singletonSeconds: options.singletonSeconds,
  });
}
