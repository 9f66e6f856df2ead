// What happens when the kubelet pulls and runs an image, decided from the
// image reference alone so demos and tests can ask for a failure by name:
// a registry the cluster does not know, or the tag `bad`, cannot be pulled;
// the tag `crash` pulls and starts, then exits with code 1 every time.
import { createHash } from "node:crypto";
import { digestOf, parseImage } from "../../image-names";

export { parseImage, type ImageReference } from "../../image-names";

export const defaultKnownRegistries = ["contoso.azurecr.io", "mcr.microsoft.com"];

export type ImageOutcome = "runs" | "pullFails" | "crashes";

export function imageOutcome(image: string, knownRegistries: readonly string[]): ImageOutcome {
  const reference = parseImage(image);
  const known = knownRegistries.some((registry) => registry.toLowerCase() === reference.registry.toLowerCase());
  if (!known || reference.tag === "bad") return "pullFails";
  return reference.tag === "crash" ? "crashes" : "runs";
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
