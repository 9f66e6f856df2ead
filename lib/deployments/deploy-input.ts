// What a deployment request is, as the page and the pipeline API send it: a
// service, one of its team's namespaces (by Wharf's id, or by the cluster's
// and the namespace's names, which is what a pipeline knows), and one image
// version, by tag, by digest, or by digest with the tag it was picked as (the
// digest pins the image, the tag labels it; decision 0064). The repository comes from the service's deploy spec, never from the
// request, so a request cannot point a service at another image.
import { z } from "zod";
import { serviceSlug } from "@/lib/catalog/service-input";

/** The same ceiling the catalog's deploy spec has; more is a conversation with the platform team. */
export const maxReplicas = 50;

/** Docker's tag grammar (distribution/reference): a word character first, then up to 127 of [\w.-]. */
const tagPattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const digestPattern = /^sha256:[a-f0-9]{64}$/;

// One message per bad tag, the most specific one, because forms and the API
// show the first issue only (lib/validation.ts).
const imageTag = z
  .string()
  .trim()
  .superRefine((tag, ctx) => {
    const problem = tagProblem(tag);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

function tagProblem(tag: string): string | undefined {
  if (tag === "") return "Give an image tag, such as 1.4.2, or a digest instead.";
  if (tag.length > 128) return `The image tag has ${tag.length} characters; a tag can have at most 128. Use a shorter tag, or deploy by digest.`;
  if (/\s/.test(tag)) return "The image tag contains spaces; a tag is one word of letters, digits, _ . and -, such as 1.4.2 or main-3f9c2d1.";
  if (tag.includes("@") || tag.startsWith("sha256:")) return "This looks like a digest; send it as digest, not as tag.";
  if (tag.includes("/") || tag.includes(":")) {
    return "Give only the tag, such as 1.4.2, not an image reference; the repository comes from the service's deploy spec.";
  }
  if (!tagPattern.test(tag)) {
    return "The image tag may contain only letters, digits, _ . and -, and cannot start with . or -; such as 1.4.2 or main-3f9c2d1.";
  }
  return undefined;
}

const imageDigest = z
  .string()
  .trim()
  .superRefine((digest, ctx) => {
    const problem = digestProblem(digest);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

function digestProblem(digest: string): string | undefined {
  if (digestPattern.test(digest)) return undefined;
  const algorithm = /^([A-Za-z0-9+._-]+):/.exec(digest)?.[1];
  if (algorithm === undefined) {
    return "A digest is sha256: followed by 64 hex characters, such as sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.";
  }
  if (algorithm.toLowerCase() !== "sha256") {
    return `Wharf deploys by sha256 digest only, and this one is ${algorithm}; give the image's sha256: digest, as the registry lists it.`;
  }
  const hex = digest.slice(digest.indexOf(":") + 1);
  if (/[A-F]/.test(hex) && /^[A-Fa-f0-9]{64}$/.test(hex)) return "Write the digest's hex characters in lowercase.";
  return (
    "A sha256 digest has exactly 64 hex characters (0-9, a-f) after sha256:; this one has " +
    `${hex.length} characters${/^[a-fA-F0-9]*$/.test(hex) ? "" : ", not all of them hex"}.`
  );
}

const replicas = z.coerce
  .number({ error: "Replicas must be a number." })
  .int("Replicas must be a whole number.")
  .min(1, "Run at least 1 replica; to stop a service, retire it in the catalog.")
  .max(maxReplicas, `Run at most ${maxReplicas} replicas per deployment; ask the platform team for more.`);

export const whenBusyChoices = ["refuse", "queue"] as const;

/** A Kubernetes or AKS name as a pipeline variable brings it; whether it names anything is the lookup's question. */
const objectName = (what: string, example: string) =>
  z
    .string({ error: `${what} must be a name, such as ${example}.` })
    .trim()
    .min(1, `Give the ${what}'s name, such as ${example}.`)
    .max(63, `A ${what} name has at most 63 characters; give the name as Wharf lists it, such as ${example}.`);

export const deployInput = z
  .object({
    service: serviceSlug,
    namespaceId: z
      .uuid({ error: "Give the namespace's id, as the namespaces list shows it." })
      .optional()
      .describe("The namespace's id in Wharf. Give this, or cluster and namespace."),
    cluster: objectName("cluster", "aks-prod-weu")
      .optional()
      .describe("The AKS cluster's name, as Wharf lists it under Clusters; with namespace, instead of namespaceId."),
    namespace: objectName("namespace", "payments-prod")
      .optional()
      .describe("The Kubernetes namespace's name on that cluster; with cluster, instead of namespaceId."),
    tag: imageTag
      .optional()
      .describe(
        "The image tag, such as 1.4.2. With digest: the tag the digest was picked as, which labels the deployment; " +
          "the registry must still map it to that digest.",
      ),
    digest: imageDigest.optional().describe("The image's sha256 digest, which the manifest pins. Alone, or with the tag it was picked as."),
    /** Overrides the deploy spec's replicas for this deployment only. */
    replicas: replicas.optional(),
    /** What to do when a rollout of the same service and namespace is still running. */
    whenBusy: z.enum(whenBusyChoices, { error: `whenBusy must be one of ${whenBusyChoices.join(", ")}.` }).default("refuse"),
  })
  // Exactly one way to name the namespace, in the OpenAPI document too.
  .meta({
    description: "Name the namespace by namespaceId, or by cluster and namespace (names), not both.",
    oneOf: [{ required: ["namespaceId"] }, { required: ["cluster", "namespace"] }],
  })
  .superRefine((input, ctx) => {
    const problem = namespaceRefProblem(input);
    if (problem) ctx.addIssue({ code: "custom", ...problem });
    if (input.tag === undefined && input.digest === undefined) {
      ctx.addIssue({ code: "custom", path: ["tag"], message: "Give an image tag, such as 1.4.2, or a digest (sha256:...)." });
    }
  });

function namespaceRefProblem(input: { namespaceId?: string; cluster?: string; namespace?: string }): { path: string[]; message: string } | undefined {
  const byName = input.cluster !== undefined || input.namespace !== undefined;
  if (input.namespaceId !== undefined && byName) {
    return { path: ["namespaceId"], message: "Give namespaceId, or cluster and namespace, not both: they could name different namespaces." };
  }
  if (input.namespaceId !== undefined) return undefined;
  if (!byName)
    return {
      path: ["namespaceId"],
      message: "Say where to deploy: namespaceId, or cluster and namespace (the AKS cluster's and the namespace's names, as Wharf lists them).",
    };
  if (input.cluster === undefined)
    return { path: ["cluster"], message: `Give the cluster too: ${input.namespace} is a namespace name, and names are unique per cluster only.` };
  if (input.namespace === undefined) return { path: ["namespace"], message: `Give the namespace's name on ${input.cluster} too, such as payments-prod.` };
  return undefined;
}

/** A preview's own field, beside the deployment request's: the namespace to compare with (a promotion's source). */
export const previewCompareInput = z.object({
  compareWith: z
    .uuid({ error: "compareWith must be a namespace's id, as the namespaces list shows it." })
    .optional()
    .describe("A namespace of the same team (a promotion's source): the preview lists how its manifest differs from what Wharf applied there last."),
});

/** The preview's body, as the OpenAPI document states it. */
export const previewInput = z.intersection(deployInput, previewCompareInput);

export type DeployInput = z.input<typeof deployInput>;
export type ParsedDeployInput = z.output<typeof deployInput>;

/** Which namespace: Wharf's id, or the cluster's and the namespace's names. */
export type NamespaceRef = { namespaceId: string } | { cluster: string; namespace: string };

export function namespaceRefOf(input: Pick<ParsedDeployInput, "namespaceId" | "cluster" | "namespace">): NamespaceRef {
  if (input.namespaceId !== undefined) return { namespaceId: input.namespaceId };
  if (input.cluster !== undefined && input.namespace !== undefined) return { cluster: input.cluster, namespace: input.namespace };
  throw new Error("a parsed deployment request names its namespace by id or by cluster and name");
}

/** Which image version to run: a tag, or a digest that pins the exact image, with the tag it was picked as if any. */
export type ImageVersion = { tag: string } | { digest: string; tag?: string };

export function imageVersionOf(input: Pick<ParsedDeployInput, "tag" | "digest">): ImageVersion {
  if (input.digest !== undefined) return input.tag !== undefined ? { digest: input.digest, tag: input.tag } : { digest: input.digest };
  if (input.tag !== undefined) return { tag: input.tag };
  throw new Error("a parsed deployment request has a tag or a digest");
}
