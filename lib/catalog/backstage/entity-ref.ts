// Backstage entity references: `[<kind>:][<namespace>/]<name>`, such as
// `group:default/payments`. Backstage compares kinds and names without case.

export type EntityRef = { kind: string | null; namespace: string | null; name: string };

export function parseEntityRef(ref: string): EntityRef {
  const text = ref.trim();
  const colon = text.indexOf(":");
  const slash = text.indexOf("/");
  // A colon after the first slash belongs to the name, not to a kind.
  const hasKind = colon > 0 && (slash === -1 || colon < slash);
  const kind = hasKind ? text.slice(0, colon).toLowerCase() : null;
  const rest = hasKind ? text.slice(colon + 1) : text;
  const restSlash = rest.indexOf("/");
  if (restSlash === -1) return { kind, namespace: null, name: rest };
  return { kind, namespace: rest.slice(0, restSlash), name: rest.slice(restSlash + 1) };
}

/** Whether a reference names something outside Backstage's default namespace, which Wharf does not have. */
export function inOtherNamespace(ref: EntityRef): boolean {
  return ref.namespace !== null && ref.namespace.toLowerCase() !== "default";
}

const entityName = /^[A-Za-z0-9]+([-_.][A-Za-z0-9]+)*$/;

/** Backstage's rule for metadata.name and reference names: at most 63 characters, [a-zA-Z0-9] runs joined by - _ or . */
export function isBackstageName(name: string): boolean {
  return name.length <= 63 && entityName.test(name);
}
