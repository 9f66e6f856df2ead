// What a service is, as users and the API send it. One schema serves the
// forms, the REST API, the OpenAPI document and the Backstage import.
import { z } from "zod";
import { parseQuantity, quantityMilli } from "@/lib/kubernetes/quantity";
import { teamSlug } from "@/lib/teams/team-input";

export const tiers = ["critical", "standard", "experimental"] as const;
export const lifecycles = ["experimental", "production", "deprecated"] as const;
export const externalKinds = ["sql", "redis", "servicebus", "cosmosdb", "mongodb", "http"] as const;
export const linkKinds = ["runbook", "dashboard", "docs"] as const;

export const serviceSlug = z
  .string()
  .trim()
  .min(1, "Give the service a slug, such as delivery-scheduler.")
  .max(63, "The slug can have at most 63 characters (a Kubernetes name limit).")
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, "The slug may contain only lowercase letters, digits and hyphens, and must start and end with a letter or digit.")
  .refine((value) => !value.includes("--"), "The slug cannot contain two hyphens in a row.");

const httpsUrl = (what: string) =>
  z
    .string()
    .trim()
    .max(500, `The ${what} URL can have at most 500 characters.`)
    .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), `The ${what} must be an http(s) URL, such as https://example.com/...`);

const tag = z
  .string()
  .trim()
  .min(1, "Tags cannot be empty.")
  .max(40, "A tag can have at most 40 characters.")
  .regex(/^[a-z0-9][a-z0-9+#.-]*$/, "Tags use lowercase letters, digits and + # . - (Backstage's tag rules), such as go or payments.");

export const dependencyInput = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("service"), service: serviceSlug }),
  z.object({
    kind: z.enum(externalKinds),
    target: z
      .string()
      .trim()
      .min(1, "Name what the dependency points at, such as orders-db or api.stripe.com.")
      .max(200, "A dependency target can have at most 200 characters."),
  }),
]);

function quantity(what: string) {
  return z
    .string()
    .trim()
    .refine(
      (value) => parseQuantity(value) !== null,
      `${what} must be a Kubernetes quantity, such as ${what.toLowerCase().includes("cpu") ? "250m or 1" : "256Mi or 1Gi"}.`,
    );
}

const probePath = z
  .string()
  .trim()
  .max(200, "A probe path can have at most 200 characters.")
  .regex(/^\/[^\s]*$/, "A probe path starts with / and has no spaces, such as /healthz.");

export const deploySpecInput = z
  .object({
    imageRepository: z
      .string()
      .trim()
      .min(1, "Give the image repository, such as contoso.azurecr.io/payments/api.")
      .max(300, "The image repository can have at most 300 characters.")
      .regex(
        /^[a-z0-9.-]+(:[0-9]+)?(\/[a-z0-9._-]+)+$/,
        "The image repository is a registry host and a path, without a tag, such as contoso.azurecr.io/payments/api.",
      ),
    port: z.coerce
      .number({ error: "The container port must be a number." })
      .int("The container port must be a whole number.")
      .min(1, "The container port must be between 1 and 65535.")
      .max(65535, "The container port must be between 1 and 65535."),
    replicas: z.coerce
      .number({ error: "Replicas must be a number." })
      .int("Replicas must be a whole number.")
      .min(1, "Run at least 1 replica.")
      .max(50, "Run at most 50 replicas from the catalog; ask the platform team for more."),
    cpuRequest: quantity("CPU request"),
    cpuLimit: quantity("CPU limit"),
    memoryRequest: quantity("Memory request"),
    memoryLimit: quantity("Memory limit"),
    readinessPath: probePath,
    livenessPath: probePath,
  })
  .superRefine((spec, ctx) => {
    const pairs = [
      ["cpuRequest", "cpuLimit", "CPU"],
      ["memoryRequest", "memoryLimit", "memory"],
    ] as const;
    for (const [request, limit, what] of pairs) {
      const requested = quantityMilli(spec[request]);
      const limited = quantityMilli(spec[limit]);
      if (requested !== null && limited !== null && requested > limited) {
        ctx.addIssue({
          code: "custom",
          path: [limit],
          message: `The ${what} limit (${spec[limit]}) is below the ${what} request (${spec[request]}); raise the limit or lower the request.`,
        });
      }
    }
  });

export const serviceFields = {
  slug: serviceSlug,
  displayName: z.string().trim().min(1, "Give the service a display name.").max(100, "The display name can have at most 100 characters."),
  description: z.string().trim().max(2000, "The description can have at most 2000 characters.").default(""),
  ownerTeam: teamSlug,
  repositoryUrl: httpsUrl("repository").nullable().default(null),
  language: z.string().trim().max(40, "The language can have at most 40 characters.").nullable().default(null),
  tier: z.enum(tiers, { error: `The tier must be one of ${tiers.join(", ")}.` }),
  lifecycle: z.enum(lifecycles, { error: `The lifecycle must be one of ${lifecycles.join(", ")}.` }),
  tags: z
    .array(tag)
    .max(20, "A service can have at most 20 tags.")
    .default([])
    .transform((tags) => [...new Set(tags)]),
  links: z
    .object({
      runbook: httpsUrl("runbook").nullable().optional(),
      dashboard: httpsUrl("dashboard").nullable().optional(),
      docs: httpsUrl("docs").nullable().optional(),
    })
    .default({}),
  dependencies: z.array(dependencyInput).max(50, "A service can declare at most 50 dependencies.").default([]),
  appInsightsRoleName: z.string().trim().min(1).max(256, "The App Insights role name can have at most 256 characters.").nullable().default(null),
  deploySpec: deploySpecInput.nullable().default(null),
};

export const serviceInput = z.object(serviceFields).superRefine((service, ctx) => {
  service.dependencies.forEach((dependency, index) => {
    if (dependency.kind === "service" && dependency.service === service.slug) {
      ctx.addIssue({ code: "custom", path: ["dependencies", index, "service"], message: "A service cannot depend on itself; remove this dependency." });
    }
  });
  const seen = new Set<string>();
  service.dependencies.forEach((dependency, index) => {
    const key = dependency.kind === "service" ? `service:${dependency.service}` : `${dependency.kind}:${dependency.target.toLowerCase()}`;
    if (seen.has(key)) ctx.addIssue({ code: "custom", path: ["dependencies", index], message: "This dependency is listed twice; remove one." });
    seen.add(key);
  });
});

export type ServiceInput = z.input<typeof serviceInput>;
export type ParsedService = z.output<typeof serviceInput>;
export type DependencyInput = z.output<typeof dependencyInput>;
export type DeploySpec = z.output<typeof deploySpecInput>;

/** Whether an image repository lives under one of the allowed registries (host match, not prefix). */
export function registryAllowed(imageRepository: string, allowedRegistries: readonly string[]): boolean {
  const host = imageRepository.split("/")[0] ?? "";
  return allowedRegistries.some((registry) => host === registry.toLowerCase());
}
