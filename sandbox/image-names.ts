// Image references as containerd reads them, and the digest a tag resolves to
// in the sandbox: shared by the kubelet (kubernetes/controller/images.ts) and
// the Container Registry stand-in (registries.ts), so both name the same digest.
import { createHash } from "node:crypto";

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

/**
 * The digest a tag resolves to: a hash of the normalized reference, so the kubelet's `imageID` and the sandbox
 * registry (sandbox/registry/) name the same digest for the same image everywhere.
 */
export function digestOf(normalized: string): string {
  return `sha256:${createHash("sha256").update(normalized).digest("hex")}`;
}
