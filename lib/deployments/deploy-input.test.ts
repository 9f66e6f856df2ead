import { describe, expect, it } from "vitest";
import { deployInput, imageVersionOf, maxReplicas, namespaceRefOf, type DeployInput } from "./deploy-input";

const valid: DeployInput = { service: "payments-api", namespaceId: "6f1c2b8e-3a4d-4e5f-9a0b-1c2d3e4f5a6b", tag: "1.4.2" };
const digest = `sha256:${"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}`;

function firstProblem(input: Record<string, unknown>): { path: PropertyKey[]; message: string } | undefined {
  const result = deployInput.safeParse(input);
  if (result.success) return undefined;
  const issue = result.error.issues[0]!;
  return { path: issue.path, message: issue.message };
}

describe("deployInput", () => {
  it("accepts a tag, defaults whenBusy to refuse and leaves replicas to the deploy spec", () => {
    const parsed = deployInput.parse(valid);
    expect(parsed).toEqual({ ...valid, whenBusy: "refuse" });
    expect(imageVersionOf(parsed)).toEqual({ tag: "1.4.2" });
  });

  it("accepts a digest, a replicas override and whenBusy queue", () => {
    const parsed = deployInput.parse({ service: "payments-api", namespaceId: valid.namespaceId, digest, replicas: "4", whenBusy: "queue" });
    expect(parsed).toMatchObject({ digest, replicas: 4, whenBusy: "queue" });
    expect(imageVersionOf(parsed)).toEqual({ digest });
  });

  it.each(["1.4.2", "v2", "_build", "main-3f9c2d1", "A".repeat(128), "release_2024.05.01-rc.1"])("accepts the Docker tag %s", (tag) => {
    expect(firstProblem({ ...valid, tag })).toBeUndefined();
  });

  it("trims the surrounding whitespace a pipeline variable brings", () => {
    expect(deployInput.parse({ ...valid, tag: " 1.4.2\n" }).tag).toBe("1.4.2");
  });

  it.each([
    {
      why: "a tag with spaces",
      tag: "1.4 hotfix",
      message: "The image tag contains spaces; a tag is one word of letters, digits, _ . and -, such as 1.4.2 or main-3f9c2d1.",
    },
    {
      why: "a tag of 200 characters",
      tag: "a".repeat(200),
      message: "The image tag has 200 characters; a tag can have at most 128. Use a shorter tag, or deploy by digest.",
    },
    {
      why: "a tag of 129 characters",
      tag: "a".repeat(129),
      message: "The image tag has 129 characters; a tag can have at most 128. Use a shorter tag, or deploy by digest.",
    },
    { why: "an empty tag", tag: "  ", message: "Give an image tag, such as 1.4.2, or a digest instead." },
    {
      why: "a tag starting with a dot",
      tag: ".hidden",
      message: "The image tag may contain only letters, digits, _ . and -, and cannot start with . or -; such as 1.4.2 or main-3f9c2d1.",
    },
    {
      why: "a tag starting with a hyphen",
      tag: "-rc",
      message: "The image tag may contain only letters, digits, _ . and -, and cannot start with . or -; such as 1.4.2 or main-3f9c2d1.",
    },
    {
      why: "a tag with a plus",
      tag: "1.0+build",
      message: "The image tag may contain only letters, digits, _ . and -, and cannot start with . or -; such as 1.4.2 or main-3f9c2d1.",
    },
    {
      why: "a whole image reference",
      tag: "contoso.azurecr.io/payments/api:1.4.2",
      message: "Give only the tag, such as 1.4.2, not an image reference; the repository comes from the service's deploy spec.",
    },
    { why: "a digest sent as a tag", tag: digest, message: "This looks like a digest; send it as digest, not as tag." },
  ])("refuses $why, saying what to change", ({ tag, message }) => {
    expect(firstProblem({ ...valid, tag })).toEqual({ path: ["tag"], message });
  });

  it.each([
    {
      why: "an md5 digest",
      value: "md5:d41d8cd98f00b204e9800998ecf8427e",
      message: "Wharf deploys by sha256 digest only, and this one is md5; give the image's sha256: digest, as the registry lists it.",
    },
    {
      why: "a sha512 digest",
      value: `sha512:${"a".repeat(128)}`,
      message: "Wharf deploys by sha256 digest only, and this one is sha512; give the image's sha256: digest, as the registry lists it.",
    },
    {
      why: "bare hex",
      value: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
      message: "A digest is sha256: followed by 64 hex characters, such as sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.",
    },
    {
      why: "a short sha256",
      value: "sha256:9f86d081",
      message: "A sha256 digest has exactly 64 hex characters (0-9, a-f) after sha256:; this one has 8 characters.",
    },
    {
      why: "a sha256 that is not hex",
      value: `sha256:${"z".repeat(64)}`,
      message: "A sha256 digest has exactly 64 hex characters (0-9, a-f) after sha256:; this one has 64 characters, not all of them hex.",
    },
    { why: "an uppercase sha256", value: digest.toUpperCase().replace("SHA256", "sha256"), message: "Write the digest's hex characters in lowercase." },
  ])("refuses $why as digest", ({ value, message }) => {
    expect(firstProblem({ service: valid.service, namespaceId: valid.namespaceId, digest: value })).toEqual({ path: ["digest"], message });
  });

  it("needs a tag or a digest", () => {
    expect(firstProblem({ service: valid.service, namespaceId: valid.namespaceId })).toEqual({
      path: ["tag"],
      message: "Give an image tag, such as 1.4.2, or a digest (sha256:...).",
    });
  });

  it("accepts a digest with the tag it was picked as: the digest pins, the tag labels", () => {
    const parsed = deployInput.parse({ ...valid, digest });
    expect(imageVersionOf(parsed)).toEqual({ digest, tag: "1.4.2" });
  });

  it("checks both when both are given", () => {
    expect(firstProblem({ ...valid, digest: "sha256:abc" })).toEqual({
      path: ["digest"],
      message: "A sha256 digest has exactly 64 hex characters (0-9, a-f) after sha256:; this one has 3 characters.",
    });
    expect(firstProblem({ ...valid, tag: "1.4 .2", digest })?.path).toEqual(["tag"]);
  });

  it.each([
    { replicas: 0, message: "Run at least 1 replica; to stop a service, retire it in the catalog." },
    { replicas: -1, message: "Run at least 1 replica; to stop a service, retire it in the catalog." },
    { replicas: 10_000, message: `Run at most ${maxReplicas} replicas per deployment; ask the platform team for more.` },
    { replicas: maxReplicas + 1, message: `Run at most ${maxReplicas} replicas per deployment; ask the platform team for more.` },
    { replicas: 2.5, message: "Replicas must be a whole number." },
    { replicas: "many", message: "Replicas must be a number." },
  ])("refuses replicas $replicas", ({ replicas, message }) => {
    expect(firstProblem({ ...valid, replicas })).toEqual({ path: ["replicas"], message });
  });

  it("accepts replicas at both bounds", () => {
    expect(firstProblem({ ...valid, replicas: 1 })).toBeUndefined();
    expect(firstProblem({ ...valid, replicas: maxReplicas })).toBeUndefined();
  });

  it("refuses an unknown whenBusy, a bad service slug and a namespace id that is not one", () => {
    expect(firstProblem({ ...valid, whenBusy: "wait" })).toEqual({ path: ["whenBusy"], message: "whenBusy must be one of refuse, queue." });
    expect(firstProblem({ ...valid, service: "Payments API" })?.path).toEqual(["service"]);
    expect(firstProblem({ ...valid, namespaceId: "payments-prod" })).toEqual({
      path: ["namespaceId"],
      message: "Give the namespace's id, as the namespaces list shows it.",
    });
  });

  describe("naming the namespace by cluster and namespace instead of its id", () => {
    const byName = { service: "payments-api", cluster: "aks-prod-weu", namespace: "payments-prod", tag: "1.4.2" };

    it("accepts the two names, trimmed, as a pipeline's variables bring them", () => {
      const parsed = deployInput.parse({ ...byName, cluster: " aks-prod-weu", namespace: "payments-prod\n" });
      expect(parsed).toEqual({ ...byName, whenBusy: "refuse" });
      expect(namespaceRefOf(parsed)).toEqual({ cluster: "aks-prod-weu", namespace: "payments-prod" });
      expect(namespaceRefOf(deployInput.parse(valid))).toEqual({ namespaceId: valid.namespaceId });
    });

    it("refuses both forms, or neither, naming namespaceId", () => {
      expect(firstProblem({ ...byName, namespaceId: valid.namespaceId })).toEqual({
        path: ["namespaceId"],
        message: "Give namespaceId, or cluster and namespace, not both: they could name different namespaces.",
      });
      expect(firstProblem({ ...byName, namespace: undefined, cluster: undefined })).toEqual({
        path: ["namespaceId"],
        message: "Say where to deploy: namespaceId, or cluster and namespace (the AKS cluster's and the namespace's names, as Wharf lists them).",
      });
      expect(firstProblem({ service: "payments-api", namespaceId: valid.namespaceId, cluster: "aks-prod-weu", tag: "1.4.2" })?.path).toEqual(["namespaceId"]);
    });

    it("refuses half a pair, naming the missing field", () => {
      expect(firstProblem({ ...byName, cluster: undefined })).toEqual({
        path: ["cluster"],
        message: "Give the cluster too: payments-prod is a namespace name, and names are unique per cluster only.",
      });
      expect(firstProblem({ ...byName, namespace: undefined })).toEqual({
        path: ["namespace"],
        message: "Give the namespace's name on aks-prod-weu too, such as payments-prod.",
      });
    });

    it("refuses empty, overlong and non-string names", () => {
      expect(firstProblem({ ...byName, namespace: "  " })).toEqual({ path: ["namespace"], message: "Give the namespace's name, such as payments-prod." });
      expect(firstProblem({ ...byName, cluster: "a".repeat(64) })).toEqual({
        path: ["cluster"],
        message: "A cluster name has at most 63 characters; give the name as Wharf lists it, such as aks-prod-weu.",
      });
      expect(firstProblem({ ...byName, namespace: 7 })).toEqual({ path: ["namespace"], message: "namespace must be a name, such as payments-prod." });
    });

    it("still checks the image version with the pair", () => {
      expect(firstProblem({ ...byName, tag: undefined })?.path).toEqual(["tag"]);
      expect(firstProblem({ ...byName, digest: "sha256:abc" })?.path).toEqual(["digest"]);
    });
  });
});
