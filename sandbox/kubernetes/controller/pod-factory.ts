// A pod as the ReplicaSet controller asks for it: from the RS's template with
// a generated name and an owner reference. What the API server adds on the
// way in (defaults, LimitRanger, service account, tolerations, QoS) is done
// by the same admission a client's create goes through (`createObject`).
import { clone, isPlainObject, type JsonObject, type KubeObject } from "../objects";
import type { ControllerContext } from "./context";
import { pods } from "./types";
import { controllerReference, randomSuffix } from "./writes";

export function podForReplicaSet(ctx: ControllerContext, replicaSet: KubeObject): KubeObject {
  const namespace = replicaSet.metadata.namespace ?? "";
  const rsSpec = isPlainObject(replicaSet.spec) ? replicaSet.spec : {};
  const template = isPlainObject(rsSpec.template) ? clone(rsSpec.template) : {};
  const templateMeta = isPlainObject(template.metadata) ? template.metadata : {};
  const spec: JsonObject = isPlainObject(template.spec) ? template.spec : {};
  const prefix = `${replicaSet.metadata.name ?? ""}-`;
  let name = prefix + randomSuffix();
  while (ctx.store.get(pods, namespace, name)) name = prefix + randomSuffix();
  const pod: KubeObject = {
    metadata: {
      name,
      generateName: prefix,
      namespace,
      labels: isPlainObject(templateMeta.labels) ? (templateMeta.labels as Record<string, string>) : {},
      ownerReferences: [controllerReference(replicaSet)],
    },
    spec,
  };
  if (isPlainObject(templateMeta.annotations)) pod.metadata.annotations = templateMeta.annotations as Record<string, string>;
  return pod;
}
