// The sandbox takes every served kind's structure from client-node's generated
// models through a deep import (`@kubernetes/client-node/dist/gen/models/all.js`,
// schema.ts): not a public entry point, so nothing but this test stops an
// upgrade from moving or reshaping it. Unknown-field validation, the OpenAPI
// documents kubectl reads and strategic merge patch all depend on it.
import { describe, expect, it } from "vitest";
import { fieldsOf, fieldType, type FieldType } from "./schema";
import { resourceTypes } from "./resources";

function structTypes(type: FieldType): string[] {
  if (type.kind === "struct") return [type.typeName];
  if (type.kind === "array") return structTypes(type.items);
  if (type.kind === "map") return structTypes(type.values);
  return [];
}

describe("client-node's generated models (deep import)", () => {
  it("describe every kind the sandbox serves", () => {
    for (const resource of resourceTypes) {
      const fields = fieldsOf(resource.modelType);
      expect(fields, `${resource.modelType} is not in @kubernetes/client-node/dist/gen/models/all.js`).toBeDefined();
      expect([...fields!.keys()], resource.modelType).toEqual(expect.arrayContaining(["apiVersion", "kind", "metadata"]));
    }
  });

  it("resolve every type reachable from those kinds, so no field goes unchecked", () => {
    const seen = new Set<string>();
    const queue = resourceTypes.map((resource) => resource.modelType);
    const unknown: string[] = [];
    while (queue.length > 0) {
      const typeName = queue.pop()!;
      if (seen.has(typeName)) continue;
      seen.add(typeName);
      const fields = fieldsOf(typeName);
      if (!fields) {
        unknown.push(typeName);
        continue;
      }
      for (const type of fields.values()) queue.push(...structTypes(type));
    }
    // V1MicroTime (Event times) is an alias of Date in client-node, not a model: its strings are not checked.
    expect(unknown).toEqual(["V1MicroTime"]);
    expect(seen.size).toBeGreaterThan(100);
  });

  it("type the fields the patch and apply logic keys on as the sandbox expects", () => {
    expect(fieldType("V1PodSpec", "containers")).toEqual({ kind: "array", items: { kind: "struct", typeName: "V1Container" } });
    expect(fieldType("V1ResourceRequirements", "limits")).toEqual({ kind: "map", values: { kind: "scalar", scalar: "string" } });
    expect(fieldType("V1RollingUpdateDeployment", "maxSurge")).toEqual({ kind: "scalar", scalar: "int-or-string" });
    expect(fieldType("V1ObjectMeta", "creationTimestamp")).toEqual({ kind: "scalar", scalar: "date" });
    expect(fieldType("V1ObjectMeta", "labels")).toEqual({ kind: "map", values: { kind: "scalar", scalar: "string" } });
    // JSON names, not the TypeScript property names client-node renames (`from` is `_from` in code).
    expect(fieldsOf("V1NetworkPolicyIngressRule")?.has("from")).toBe(true);
  });
});
