// The namespace area's background work, as the worker sees it.
import { enqueue } from "@/lib/jobs/enqueue";

export async function enqueueNamespaceWork(work: "provision" | "decommission", namespaceId: string): Promise<void> {
  await enqueue(work === "provision" ? "namespace.provision" : "namespace.decommission", { namespaceId }, { singletonKey: namespaceId });
}
