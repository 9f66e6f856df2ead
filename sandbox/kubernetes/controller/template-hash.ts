// pod-template-hash: FNV-1a (32 bit) over the pod template, plus the
// deployment's collisionCount, spelled with rand.SafeEncodeString like the
// real label ("7d4b9c8f6d"). The real hash covers Go's printed struct, so
// values differ from a real cluster's; what matters is the same template
// always gives the same hash and a changed one a new hash.
import { isPlainObject } from "../objects";
import { safeEncode } from "./writes";

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (isPlainObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, "utf8")) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

export function podTemplateHash(template: unknown, collisionCount: number | undefined): string {
  const input = canonicalJson(template) + (collisionCount === undefined ? "" : String(collisionCount));
  return safeEncode(String(fnv1a32(input)));
}
