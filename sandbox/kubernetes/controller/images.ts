// What happens when the kubelet pulls and runs an image, decided from the
// image reference alone so demos and tests can ask for a failure by name:
// a registry the cluster does not know, or the tag `bad`, cannot be pulled;
// the tag `crash` pulls and starts, then exits with code 1 every time.
import { createHash } from "node:crypto";

export const defaultKnownRegistries = ["contoso.azurecr.io", "mcr.microsoft.com"];

export type ImageOutcome = "runs" | "pullFails" | "crashes";

export interface ImageReference {
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
  /** The reference as containerd reports it (`docker.io/library/nginx:latest`). */
  normalized: string;
}

/** Splits an image reference with the Docker rules: the first part is a registry only if it looks like a host. */
export function parseImage(image: string): ImageReference {
  const [withoutDigest = "", digest] = image.split("@");
  const slash = withoutDigest.indexOf("/");
  const first = slash === -1 ? "" : withoutDigest.slice(0, slash);
  const isHost = first.includes(".") || first.includes(":") || first === "localhost";
  const registry = isHost ? first : "docker.io";
  let remainder = isHost ? withoutDigest.slice(slash + 1) : withoutDigest;
  let tag: string | undefined;
  const colon = remainder.lastIndexOf(":");
  if (colon > remainder.lastIndexOf("/")) {
    tag = remainder.slice(colon + 1);
    remainder = remainder.slice(0, colon);
  }
  const repository = registry === "docker.io" && !remainder.includes("/") ? `library/${remainder}` : remainder;
  if (!tag && !digest) tag = "latest";
  const normalized = `${registry}/${repository}${tag ? `:${tag}` : ""}${digest ? `@${digest}` : ""}`;
  return { registry, repository, tag, digest, normalized };
}

export function imageOutcome(image: string, knownRegistries: readonly string[]): ImageOutcome {
  const reference = parseImage(image);
  const known = knownRegistries.some((registry) => registry.toLowerCase() === reference.registry.toLowerCase());
  if (!known || reference.tag === "bad") return "pullFails";
  return reference.tag === "crash" ? "crashes" : "runs";
}

function digestOf(image: string): string {
  return `sha256:${createHash("sha256").update(image).digest("hex")}`;
}

/** `imageID` in container status: the repository at the digest the tag resolved to. */
export function imageId(image: string): string {
  const reference = parseImage(image);
  return `${reference.registry}/${reference.repository}@${reference.digest ?? digestOf(reference.normalized)}`;
}

/** A stable, plausible compressed size for the Pulled event. */
export function imageSize(image: string): number {
  return 20_000_000 + (createHash("sha256").update(image).digest().readUInt32BE(0) % 180_000_000);
}

/** The error containerd returns for a reference it cannot resolve, as the kubelet wraps it. */
export function pullError(image: string): string {
  const { normalized } = parseImage(image);
  return (
    `rpc error: code = NotFound desc = failed to pull and unpack image "${normalized}": ` +
    `failed to resolve reference "${normalized}": ${normalized}: not found`
  );
}
