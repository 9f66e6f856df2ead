// clone: a deep copy with structuredClone's results for the JSON-shaped
// objects the sandbox stores, without its cost.
import { describe, expect, it } from "vitest";
import { clone } from "./objects";

describe("clone", () => {
  it("copies plain objects and arrays deeply, as structuredClone would", () => {
    const pod = {
      metadata: { name: "web-1", labels: { app: "web" } },
      spec: { containers: [{ name: "web", ports: [{ containerPort: 8080 }] }], unset: undefined },
      list: [1, "two", null, true],
    };
    const copied = clone(pod);
    expect(copied).toStrictEqual(structuredClone(pod));
    copied.spec.containers[0]!.ports[0]!.containerPort = 9090;
    copied.metadata.labels.app = "changed";
    expect(pod.spec.containers[0]!.ports[0]!.containerPort).toBe(8080);
    expect(pod.metadata.labels.app).toBe("web");
  });

  it("gives a mutable copy of frozen (shared) parts", () => {
    const stored = Object.freeze({ fieldsV1: Object.freeze({ "f:spec": Object.freeze({}) }) });
    const copied = clone(stored);
    expect(Object.isFrozen(copied) || Object.isFrozen(copied.fieldsV1)).toBe(false);
    (copied.fieldsV1 as Record<string, unknown>)["f:status"] = {};
    expect(stored.fieldsV1).toEqual({ "f:spec": {} });
  });

  it("keeps a __proto__ key from JSON as an own key, not as the copy's prototype", () => {
    const parsed = JSON.parse('{"metadata":{"__proto__":{"polluted":true}}}') as { metadata: Record<string, unknown> };
    const copied = clone(parsed);
    expect(Object.getPrototypeOf(copied.metadata)).toBe(Object.prototype);
    expect(Object.keys(copied.metadata)).toEqual(["__proto__"]);
    expect((copied.metadata as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it("copies values that are not plain objects (a Date) with structuredClone", () => {
    const at = new Date("2026-11-26T20:00:00Z");
    const copied = clone({ at });
    expect(copied.at).toBeInstanceOf(Date);
    expect(copied.at).not.toBe(at);
    expect(copied.at.getTime()).toBe(at.getTime());
  });
});
