// Server-side apply, reads, lists and deletes of whole objects, as plain
// JSON, with Wharf's own errors and a timeout on every call. The field
// manager is always `wharf`.
import type { KubeConfig } from "@kubernetes/client-node";
import { toKubernetesApiError } from "@/lib/kubernetes/api-error";
import { kubeRequest, resourcePath } from "@/lib/kubernetes/request";

export const fieldManager = "wharf";

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
}

function describe(ref: ObjectRef): string {
  return `${ref.kind} ${ref.metadata.namespace ? `${ref.metadata.namespace}/` : ""}${ref.metadata.name}`;
}

function pathOf(ref: ObjectRef): string {
  return resourcePath(ref.apiVersion, ref.kind, ref.metadata.namespace, ref.metadata.name);
}

/** Applies the object with server-side apply; `force` takes over fields another manager set by hand. */
export async function applyObject<T = unknown>(config: KubeConfig, object: ObjectRef): Promise<T> {
  try {
    const response = await kubeRequest(config, "PATCH", `${pathOf(object)}?fieldManager=${fieldManager}&force=true`, {
      body: object,
      contentType: "application/apply-patch+yaml",
    });
    return response.body as T;
  } catch (error) {
    throw toKubernetesApiError(error, `applying ${describe(object)}`);
  }
}

/** The object, or null when the API server says it does not exist. */
export async function readObject<T = unknown>(config: KubeConfig, ref: ObjectRef): Promise<T | null> {
  try {
    return (await kubeRequest(config, "GET", pathOf(ref))).body as T;
  } catch (error) {
    const failure = toKubernetesApiError(error, `reading ${describe(ref)}`);
    if (failure.status === 404) return null;
    throw failure;
  }
}

/** Lists objects of one kind in all namespaces (or one), filtered by labels, following `continue`. */
export async function listObjects<T = unknown>(
  config: KubeConfig,
  apiVersion: string,
  kind: string,
  options: { labelSelector?: string; namespace?: string } = {},
): Promise<T[]> {
  const items: T[] = [];
  let continueToken: string | undefined;
  try {
    do {
      const query = new URLSearchParams({ limit: "500" });
      if (options.labelSelector) query.set("labelSelector", options.labelSelector);
      if (continueToken) query.set("continue", continueToken);
      const page = (await kubeRequest(config, "GET", `${resourcePath(apiVersion, kind, options.namespace)}?${query}`)).body as {
        items?: T[];
        metadata?: { continue?: string };
      };
      items.push(...(page.items ?? []));
      continueToken = page.metadata?.continue || undefined;
    } while (continueToken);
  } catch (error) {
    throw toKubernetesApiError(error, `listing ${kind}`);
  }
  return items;
}

/** Deletes the object; an object already gone counts as deleted. */
export async function deleteObject(config: KubeConfig, ref: ObjectRef): Promise<"deleting" | "gone"> {
  try {
    await kubeRequest(config, "DELETE", pathOf(ref));
    return "deleting";
  } catch (error) {
    const failure = toKubernetesApiError(error, `deleting ${describe(ref)}`);
    if (failure.status === 404) return "gone";
    throw failure;
  }
}
