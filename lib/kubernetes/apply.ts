// Server-side apply, reads and deletes of whole objects, with Wharf's own
// errors and a timeout on every call. The field manager is always `wharf`.
import { KubernetesObjectApi, PatchStrategy, type KubeConfig, type KubernetesObject } from "@kubernetes/client-node";
import { toKubernetesApiError, withTimeout } from "@/lib/kubernetes/api-error";

export const fieldManager = "wharf";
const callTimeoutMs = 10_000;

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
}

function describe(ref: ObjectRef): string {
  return `${ref.kind} ${ref.metadata.namespace ? `${ref.metadata.namespace}/` : ""}${ref.metadata.name}`;
}

/** Applies the object with server-side apply; `force` takes over fields another manager set by hand. */
export async function applyObject<T extends KubernetesObject>(config: KubeConfig, object: T & ObjectRef): Promise<T> {
  const api = KubernetesObjectApi.makeApiClient(config);
  try {
    return await withTimeout(api.patch(object, undefined, undefined, fieldManager, true, PatchStrategy.ServerSideApply), callTimeoutMs, `applying ${describe(object)}`);
  } catch (error) {
    throw toKubernetesApiError(error, `applying ${describe(object)}`);
  }
}

/** The object, or null when the API server says it does not exist. */
export async function readObject<T = KubernetesObject>(config: KubeConfig, ref: ObjectRef): Promise<T | null> {
  const api = KubernetesObjectApi.makeApiClient(config);
  try {
    return (await withTimeout(api.read(ref as KubernetesObject & ObjectRef), callTimeoutMs, `reading ${describe(ref)}`)) as unknown as T;
  } catch (error) {
    const failure = toKubernetesApiError(error, `reading ${describe(ref)}`);
    if (failure.status === 404) return null;
    throw failure;
  }
}

/** Lists objects of one kind in all namespaces (or one), filtered by labels. */
export async function listObjects<T = KubernetesObject>(config: KubeConfig, apiVersion: string, kind: string, options: { labelSelector?: string; namespace?: string } = {}): Promise<T[]> {
  const api = KubernetesObjectApi.makeApiClient(config);
  const items: T[] = [];
  let continueToken: string | undefined;
  try {
    do {
      const page = await withTimeout(
        api.list(apiVersion, kind, options.namespace, undefined, undefined, undefined, undefined, options.labelSelector, 500, continueToken),
        callTimeoutMs,
        `listing ${kind}`,
      );
      items.push(...(page.items as unknown as T[]));
      continueToken = page.metadata?._continue || undefined;
    } while (continueToken);
  } catch (error) {
    throw toKubernetesApiError(error, `listing ${kind}`);
  }
  return items;
}

/** Deletes the object; an object already gone counts as deleted. */
export async function deleteObject(config: KubeConfig, ref: ObjectRef): Promise<"deleting" | "gone"> {
  const api = KubernetesObjectApi.makeApiClient(config);
  try {
    await withTimeout(api.delete(ref as KubernetesObject & ObjectRef), callTimeoutMs, `deleting ${describe(ref)}`);
    return "deleting";
  } catch (error) {
    const failure = toKubernetesApiError(error, `deleting ${describe(ref)}`);
    if (failure.status === 404) return "gone";
    throw failure;
  }
}
