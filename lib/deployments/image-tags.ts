// The tags of a service's image repository, for the deploy form's picker
// (issue 17 item 2, decision 0059): read from Azure Container Registry when
// the repository's host is the login server of a registry in Wharf's
// subscriptions, newest first, each with its digest and the namespaces whose
// pods run that digest now (as the health cycle last saw them; no cluster is
// asked per view). An image elsewhere (docker.io, mcr.microsoft.com) has no
// list: the form says so and the tag is typed by hand, as before.
import { z } from "zod";
import { getPrisma } from "@/lib/db/client";
import { getConfig } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { describeAzureError } from "@/lib/azure/clusters";
import { discoverRegistries, listRepositoryTags, tagDigest, maxTagsListed, registryErrorCode, type ContainerRegistry } from "@/lib/azure/registries";
import type { DeploySpec } from "@/lib/catalog/service-input";
import type { TagCheckOutcome } from "./version-text";

const runningSchema = z.object({ namespaceId: z.string(), namespace: z.string(), environment: z.string(), cluster: z.string() });

export const imageTagsView = z.object({
  repository: z.string().describe("The service's image repository, as its deploy spec names it."),
  available: z.boolean().describe("Whether the registry's tags could be listed; false for an image not on an Azure Container Registry Wharf can read."),
  unavailable: z.string().nullable().describe("Why there is no list (the tag is then typed by hand); null when there is one."),
  tags: z.array(
    z.object({
      name: z.string(),
      digest: z.string(),
      createdOn: z.iso.datetime(),
      lastUpdatedOn: z.iso.datetime(),
      runningIn: z.array(runningSchema).describe("Namespaces whose pods run this digest, as the last health cycle saw them."),
    }),
  ),
  more: z.boolean().describe(`The registry has more than the ${maxTagsListed} newest tags listed here.`),
  readAt: z.iso.datetime(),
});

export type ImageTags = z.infer<typeof imageTagsView>;

/** How long the registries ARM lists are remembered in a web process: they change when someone creates one. */
const registriesCacheMs = 5 * 60_000;
const retryAfterSeconds = 30;

type Cached = { at: number; registries: Promise<ContainerRegistry[]> };
const state = globalThis as typeof globalThis & { wharfRegistries?: Cached };

function knownRegistries(): Promise<ContainerRegistry[]> {
  const cached = state.wharfRegistries;
  if (cached && Date.now() - cached.at < registriesCacheMs) return cached.registries;
  const registries = discoverRegistries(getConfig()).then((discovery) => {
    // Every subscription failed: nothing is known, which is not "no registry"; try again next time.
    if (discovery.registries.length === 0 && discovery.failures.length > 0) {
      throw new AppError(
        "dependency_unavailable",
        `Azure Resource Manager did not list the container registries (${discovery.failures.map((f) => f.message).join("; ")}). ` +
          "Try again in a minute, or type the tag.",
        { retryAfterSeconds },
      );
    }
    return discovery.registries;
  });
  state.wharfRegistries = { at: Date.now(), registries };
  registries.catch(() => {
    if (state.wharfRegistries?.registries === registries) state.wharfRegistries = undefined;
  });
  return registries;
}

/** Forgets the registries ARM listed, so the next listing asks again (tests, and after an admin adds one). */
export function forgetRegistries(): void {
  state.wharfRegistries = undefined;
}

function splitRepository(imageRepository: string): { loginServer: string; repository: string } {
  const slash = imageRepository.indexOf("/");
  return { loginServer: imageRepository.slice(0, slash).toLowerCase(), repository: imageRepository.slice(slash + 1) };
}

/** Which digest runs in which of the service's namespaces, from the health cycle's last observation. */
async function runningDigests(serviceId: string): Promise<Map<string, z.infer<typeof runningSchema>[]>> {
  const rows = await getPrisma().serviceHealth.findMany({
    where: { serviceId },
    select: { namespaceId: true, environment: true, kubernetes: true, namespace: { select: { name: true, cluster: { select: { name: true } } } } },
  });
  const byDigest = new Map<string, z.infer<typeof runningSchema>[]>();
  for (const row of rows) {
    // ServiceHealth.kubernetes is lib/health's KubernetesObservation; only its digest is read (lib/health imports this folder, not the reverse).
    const digest = (row.kubernetes as { digest?: string | null } | null)?.digest;
    if (!digest) continue;
    const list = byDigest.get(digest) ?? [];
    list.push({ namespaceId: row.namespaceId, namespace: row.namespace.name, environment: row.environment, cluster: row.namespace.cluster.name });
    byDigest.set(digest, list);
  }
  return byDigest;
}

export async function listImageTags({ actor, slug }: { actor: Actor; slug: string }): Promise<ImageTags> {
  if (!can(actor, "service:read")) throw forbidden("service:read");
  const service = await getPrisma().service.findUnique({ where: { slug }, select: { id: true, ownerTeamId: true, deploySpec: true, displayName: true } });
  if (!service) throw new AppError("not_found", `There is no service "${slug}" in the catalog.`);
  if (!can(actor, "deployment:create", { teamId: service.ownerTeamId })) throw forbidden("deployment:create");
  const spec = service.deploySpec as DeploySpec | null;
  if (!spec) {
    throw new AppError("conflict", `${service.displayName} has no deploy spec yet, so it has no image repository; add one on its edit page.`);
  }
  const readAt = new Date().toISOString();
  const { loginServer, repository } = splitRepository(spec.imageRepository);
  const none = (unavailable: string): ImageTags => ({ repository: spec.imageRepository, available: false, unavailable, tags: [], more: false, readAt });

  const registry = (await knownRegistries()).find((candidate) => candidate.loginServer === loginServer);
  if (!registry) {
    return none(`${loginServer} is not an Azure Container Registry in Wharf's subscriptions, so Wharf cannot list its tags; type the tag or digest to deploy.`);
  }
  let listed: Awaited<ReturnType<typeof listRepositoryTags>>;
  try {
    listed = await listRepositoryTags(getConfig(), loginServer, repository);
  } catch (error) {
    const code = registryErrorCode(error);
    const status = (error as { statusCode?: number }).statusCode;
    if (code === "NAME_UNKNOWN" || (status === 404 && !code)) {
      throw new AppError(
        "not_found",
        `${loginServer} has no repository ${repository}. Check the image repository in ${service.displayName}'s deploy spec, or push an image to it first.`,
        { cause: error },
      );
    }
    if (status === 401 || status === 403 || code === "UNAUTHORIZED" || code === "DENIED") {
      throw new AppError(
        "dependency_unavailable",
        `${loginServer} refused Wharf's identity (${describeAzureError(error)}). A platform admin must give it the AcrPull or ` +
          "Container Registry Repository Reader role on the registry; until then, type the tag or digest.",
        { cause: error, retryAfterSeconds: 300 },
      );
    }
    throw new AppError(
      "dependency_unavailable",
      `${loginServer} did not answer (${describeAzureError(error)}). Try again in a minute, or type the tag or digest.`,
      { cause: error, retryAfterSeconds },
    );
  }
  const running = await runningDigests(service.id);
  return {
    repository: spec.imageRepository,
    available: true,
    unavailable: null,
    tags: listed.tags.map((tag) => ({
      name: tag.name,
      digest: tag.digest,
      createdOn: tag.createdOn.toISOString(),
      lastUpdatedOn: tag.lastUpdatedOn.toISOString(),
      runningIn: running.get(tag.digest) ?? [],
    })),
    more: listed.more,
    readAt,
  };
}

/**
 * Whether the registry still maps a picked tag to the digest being deployed
 * (decisions 0064, 0068). "checked": it does. Otherwise why the registry could
 * not be asked (not an Azure Container Registry Wharf reads, ARM not listing
 * the registries, the registry not answering or refusing Wharf's identity):
 * the digest is the truth and the tag is recorded as picked, with the reason
 * kept on the deployment. A tag that points elsewhere now, or no longer
 * exists, is a 409 saying what to do.
 */
export async function checkPickedTag(imageRepository: string, tag: string, digest: string): Promise<TagCheckOutcome> {
  const { loginServer, repository } = splitRepository(imageRepository);
  let registry: ContainerRegistry | undefined;
  try {
    registry = (await knownRegistries()).find((candidate) => candidate.loginServer === loginServer);
  } catch {
    return "registries-not-listed";
  }
  if (!registry) return "not-on-a-registry-wharf-reads";
  let now: string;
  try {
    now = await tagDigest(getConfig(), loginServer, repository, tag);
  } catch (error) {
    const code = registryErrorCode(error);
    if (code === "TAG_UNKNOWN" || code === "MANIFEST_UNKNOWN") {
      throw new AppError(
        "conflict",
        `${imageRepository} has no tag ${tag} any more, so ${digest.slice(0, 19)}… cannot be labelled with it. ` +
          "Deploy the digest alone (without the tag), or pick a tag from the registry again.",
        { path: ["tag"], cause: error },
      );
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 401 || status === 403 || code === "UNAUTHORIZED" || code === "DENIED") return "registry-refused-wharf";
    return "registry-did-not-answer";
  }
  if (now === digest) return "checked";
  throw new AppError(
    "conflict",
    `Tag ${tag} has moved: ${imageRepository}:${tag} now points at ${now.slice(0, 19)}…, not at ${digest.slice(0, 19)}…. ` +
      `Pick ${tag} from the registry again to deploy what it points at now, or deploy the digest alone (without the tag) to deploy the image you picked.`,
    { path: ["tag"] },
  );
}
