// Kubernetes protobuf request bodies, for the kinds kubectl's generator
// commands create among those the sandbox serves (`kubectl create namespace`,
// `deployment`, `serviceaccount`, `quota`, `service <type>`, `rolebinding`). kubectl 1.32 sends those typed requests as
// `application/vnd.kubernetes.protobuf` and, unlike with CBOR, never falls
// back to JSON on 415, while a real API server accepts protobuf for every
// built-in kind. The body is the `k8s\0` magic, then a runtime.Unknown
// (typeMeta, raw object) whose raw bytes are the kind's message from
// k8s.io/api's generated.proto. Field numbers below are copied from those
// files for the fields the generators set; other fields are skipped, and a
// kind without a table is refused with 415 as before.
import { unsupportedMediaType } from "./status";

type Field =
  | { name: string; type: "string" | "int" | "bool" | "quantity" | "intOrString"; pointer?: boolean }
  | { name: string; type: "message"; message: string }
  | { name: string; type: "map"; values: "string" | "quantity" };
type Message = Record<number, Field & { repeated?: boolean }>;

const s = (name: string): Field => ({ name, type: "string" });
const i = (name: string): Field => ({ name, type: "int" });
/** Go pointer fields (`*int32`): sent only when set, so a zero is a real zero. */
const p = (name: string): Field => ({ name, type: "int", pointer: true });
const m = (name: string, message: string): Field => ({ name, type: "message", message });
const list = <T extends Field>(field: T): T & { repeated: true } => ({ ...field, repeated: true });

const messages: Record<string, Message> = {
  ObjectMeta: {
    1: s("name"),
    2: s("generateName"),
    3: s("namespace"),
    11: { name: "labels", type: "map", values: "string" },
    12: { name: "annotations", type: "map", values: "string" },
    14: list(s("finalizers")),
  },
  Namespace: { 1: m("metadata", "ObjectMeta"), 2: m("spec", "NamespaceSpec"), 3: m("status", "Empty") },
  NamespaceSpec: { 1: list(s("finalizers")) },
  ServiceAccount: { 1: m("metadata", "ObjectMeta"), 4: { name: "automountServiceAccountToken", type: "bool", pointer: true } },
  Deployment: { 1: m("metadata", "ObjectMeta"), 2: m("spec", "DeploymentSpec"), 3: m("status", "Empty") },
  DeploymentSpec: {
    1: p("replicas"),
    2: m("selector", "LabelSelector"),
    3: m("template", "PodTemplateSpec"),
    4: m("strategy", "DeploymentStrategy"),
    5: i("minReadySeconds"),
    6: p("revisionHistoryLimit"),
    7: { name: "paused", type: "bool" },
    9: p("progressDeadlineSeconds"),
  },
  DeploymentStrategy: { 1: s("type") },
  LabelSelector: { 1: { name: "matchLabels", type: "map", values: "string" } },
  PodTemplateSpec: { 1: m("metadata", "ObjectMeta"), 2: m("spec", "PodSpec") },
  PodSpec: {
    2: list(m("containers", "Container")),
    3: s("restartPolicy"),
    6: s("dnsPolicy"),
    8: s("serviceAccountName"),
    35: list(m("initContainers", "Container")),
  },
  Container: {
    1: s("name"),
    2: s("image"),
    3: list(s("command")),
    4: list(s("args")),
    6: list(m("ports", "ContainerPort")),
    7: list(m("env", "EnvVar")),
    8: m("resources", "ResourceRequirements"),
    14: s("imagePullPolicy"),
  },
  ContainerPort: { 1: s("name"), 2: i("hostPort"), 3: i("containerPort"), 4: s("protocol") },
  EnvVar: { 1: s("name"), 2: s("value") },
  ResourceRequirements: { 1: { name: "limits", type: "map", values: "quantity" }, 2: { name: "requests", type: "map", values: "quantity" } },
  ResourceQuota: { 1: m("metadata", "ObjectMeta"), 2: m("spec", "ResourceQuotaSpec"), 3: m("status", "Empty") },
  ResourceQuotaSpec: { 1: { name: "hard", type: "map", values: "quantity" }, 2: list(s("scopes")) },
  Service: { 1: m("metadata", "ObjectMeta"), 2: m("spec", "ServiceSpec"), 3: m("status", "Empty") },
  ServiceSpec: {
    1: list(m("ports", "ServicePort")),
    2: { name: "selector", type: "map", values: "string" },
    3: s("clusterIP"),
    4: s("type"),
    7: s("sessionAffinity"),
    8: s("loadBalancerIP"),
    10: s("externalName"),
    11: s("externalTrafficPolicy"),
    12: i("healthCheckNodePort"),
    13: { name: "publishNotReadyAddresses", type: "bool" },
  },
  ServicePort: { 1: s("name"), 2: s("protocol"), 3: i("port"), 4: { name: "targetPort", type: "intOrString" }, 5: i("nodePort") },
  RoleBinding: { 1: m("metadata", "ObjectMeta"), 2: list(m("subjects", "Subject")), 3: m("roleRef", "RoleRef") },
  Subject: { 1: s("kind"), 2: s("apiGroup"), 3: s("name"), 4: s("namespace") },
  RoleRef: { 1: s("apiGroup"), 2: s("kind"), 3: s("name") },
  Empty: {},
};

const topLevel: Record<string, string> = {
  "v1/Namespace": "Namespace",
  "v1/ServiceAccount": "ServiceAccount",
  "apps/v1/Deployment": "Deployment",
  "v1/ResourceQuota": "ResourceQuota",
  "v1/Service": "Service",
  "rbac.authorization.k8s.io/v1/RoleBinding": "RoleBinding",
};

class Reader {
  private offset = 0;
  constructor(
    private readonly bytes: Buffer,
    private readonly end = bytes.length,
    start = 0,
  ) {
    this.offset = start;
  }

  get done(): boolean {
    return this.offset >= this.end;
  }

  varint(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      if (this.offset >= this.end) throw new Error("truncated varint");
      const byte = this.bytes[this.offset++] as number;
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 128;
    }
  }

  /** A length-delimited field as a reader over its bytes. */
  sub(): Reader {
    const length = this.varint();
    const start = this.offset;
    this.offset += length;
    if (this.offset > this.end) throw new Error("truncated field");
    return new Reader(this.bytes, this.offset, start);
  }

  text(): string {
    const length = this.varint();
    const start = this.offset;
    this.offset += length;
    if (this.offset > this.end) throw new Error("truncated string");
    return this.bytes.toString("utf8", start, this.offset);
  }

  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.offset += 8;
    else if (wireType === 2) {
      // Read the length before adding: `offset += varint()` would add to the offset from before the varint.
      const length = this.varint();
      this.offset += length;
    } else if (wireType === 5) this.offset += 4;
    else throw new Error(`unsupported wire type ${wireType}`);
  }
}

function fields(reader: Reader, visit: (field: number, wireType: number) => void): void {
  while (!reader.done) {
    const tag = reader.varint();
    visit(Math.floor(tag / 8), tag % 8);
  }
}

function decodeMessage(reader: Reader, name: string): Record<string, unknown> {
  const schema = messages[name] ?? {};
  const result: Record<string, unknown> = {};
  fields(reader, (number, wireType) => {
    const field = schema[number];
    if (!field) return reader.skip(wireType);
    let value: unknown;
    if (field.type === "string") value = reader.text();
    else if (field.type === "int") value = reader.varint();
    else if (field.type === "bool") value = reader.varint() !== 0;
    else if (field.type === "quantity") value = quantityOf(reader.sub());
    else if (field.type === "intOrString") value = intOrStringOf(reader.sub());
    else if (field.type === "message") value = decodeMessage(reader.sub(), field.message);
    else {
      // map<string, V> entries: key = 1, value = 2.
      const valueType = (field as { values: "string" | "quantity" }).values;
      const entry = reader.sub();
      let key = "";
      let entryValue: unknown;
      fields(entry, (entryField, entryWire) => {
        if (entryField === 1) key = entry.text();
        else if (entryField === 2) entryValue = valueType === "string" ? entry.text() : quantityOf(entry.sub());
        else entry.skip(entryWire);
      });
      const map = (result[field.name] ??= {}) as Record<string, unknown>;
      map[key] = entryValue ?? "";
      return;
    }
    // gogo protobuf writes every plain string, int and bool, set or not; JSON omits their zero values (omitempty).
    const unset = value === "" || value === undefined || (!("pointer" in field && field.pointer) && (value === 0 || value === false));
    if (field.repeated) ((result[field.name] ??= []) as unknown[]).push(value);
    else if (!unset) result[field.name] = value;
  });
  return result;
}

function quantityOf(reader: Reader): string {
  let text = "";
  fields(reader, (number, wireType) => {
    if (number === 1) text = reader.text();
    else reader.skip(wireType);
  });
  return text;
}

/**
 * intstr.IntOrString: type (0 int, 1 string), intVal, strVal. The zero value
 * (int 0) is left out: the API server treats it as unset (a Service port's
 * targetPort then defaults to its port).
 */
function intOrStringOf(reader: Reader): number | string | undefined {
  let type = 0;
  let intVal = 0;
  let strVal = "";
  fields(reader, (number, wireType) => {
    if (number === 1) type = reader.varint();
    else if (number === 2) intVal = reader.varint();
    else if (number === 3) strVal = reader.text();
    else reader.skip(wireType);
  });
  if (type === 1) return strVal || undefined;
  return intVal || undefined;
}

/** Decodes a `k8s\0`-enveloped protobuf body into the object's JSON form, or throws 415 for a kind it cannot read. */
export function decodeProtobuf(body: Buffer, contentType: string): Record<string, unknown> {
  if (body.length < 4 || body.toString("latin1", 0, 4) !== "k8s\u0000") throw unsupportedMediaType(contentType);
  try {
    const envelope = new Reader(body, body.length, 4);
    let apiVersion = "";
    let kind = "";
    let raw: Reader | undefined;
    fields(envelope, (number, wireType) => {
      if (number === 1) {
        const typeMeta = envelope.sub();
        fields(typeMeta, (typeField, typeWire) => {
          if (typeField === 1) apiVersion = typeMeta.text();
          else if (typeField === 2) kind = typeMeta.text();
          else typeMeta.skip(typeWire);
        });
      } else if (number === 2) raw = envelope.sub();
      else envelope.skip(wireType);
    });
    const message = topLevel[`${apiVersion}/${kind}`];
    if (!message || !raw) throw unsupportedMediaType(contentType);
    return { apiVersion, kind, ...decodeMessage(raw, message) };
  } catch (error) {
    if (error instanceof Error && error.message.startsWith("truncated")) throw unsupportedMediaType(contentType);
    throw error;
  }
}
