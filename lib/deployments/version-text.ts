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

/**
 * What the registry said of the tag a digest was picked as (decisions 0064, 0068), as stored in `Deployment.tagCheck`:
 * "checked" when it mapped the tag to the digest deployed, otherwise why it could not be asked and the tag was taken as picked.
 */
export const tagCheckOutcomes = [
  "checked",
  "not-on-a-registry-wharf-reads",
  "registries-not-listed",
  "registry-did-not-answer",
  "registry-refused-wharf",
] as const;
export type TagCheckOutcome = (typeof tagCheckOutcomes)[number];
export type TagUncheckedReason = Exclude<TagCheckOutcome, "checked">;

const uncheckedBecause: Record<TagUncheckedReason, string> = {
  "not-on-a-registry-wharf-reads": "the image is not on an Azure Container Registry Wharf reads",
  "registries-not-listed": "Azure Resource Manager did not list the registries",
  "registry-did-not-answer": "it did not answer",
  "registry-refused-wharf": "it refused Wharf's identity",
};

export interface TagCheck {
  state: "checked" | "unchecked";
  /** Why the registry could not be asked; null when it was. */
  reason: TagUncheckedReason | null;
  /** "tag 1.4.2 not checked against the registry: it did not answer" */
  text: string;
}

/** How a deployment's tag check reads in every view; null for a tag or a digest alone (nothing to check) or a deployment from before checks were kept. */
export function tagCheckOf(imageTag: string | null, outcome: TagCheckOutcome | null): TagCheck | null {
  if (!imageTag || !outcome) return null;
  if (outcome === "checked") return { state: "checked", reason: null, text: `tag ${imageTag} checked against the registry: it pointed at this digest` };
  return { state: "unchecked", reason: outcome, text: `tag ${imageTag} not checked against the registry: ${uncheckedBecause[outcome]}` };
}
