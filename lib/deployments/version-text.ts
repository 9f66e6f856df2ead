// How a deployment's image version reads in every view (history, rollout
// page, home, health, boards): the tag people know, and the digest that
// pins it when there is one: "1.4.2 (sha256:0123456789ab)". Pure; decision 0064.

/** `sha256:` and the first 12 hex digits, as `docker images` shortens ids. */
export function shortDigest(digest: string): string {
  return digest.slice(0, "sha256:".length + 12);
}

/** "1.4.2 (sha256:0123456789ab)", "1.4.2", "sha256:0123456789ab", or the image reference when neither is known. */
export function versionText(version: { imageTag: string | null; imageDigest: string | null; image?: string | null }): string {
  const { imageTag, imageDigest } = version;
  if (imageTag && imageDigest) return `${imageTag} (${shortDigest(imageDigest)})`;
  return imageTag ?? (imageDigest ? shortDigest(imageDigest) : (version.image ?? ""));
}
