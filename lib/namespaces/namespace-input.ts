// What a namespace request is, as the form and POST /api/v1/namespace-requests
// send it. Shapes only; the rules that need context (prefix, ceilings,
// uniqueness) are in namespace-policy.ts, which the form also runs as you type.
import { z } from "zod";
import { parseQuantity } from "@/lib/kubernetes/quantity";

export const quotaFields = ["requestsCpu", "limitsCpu", "requestsMemory", "limitsMemory", "pods", "storage", "loadBalancers"] as const;
export type QuotaField = (typeof quotaFields)[number];
export type Quota = Record<QuotaField, string>;

export const defaultFields = ["requestCpu", "requestMemory", "limitCpu", "limitMemory"] as const;
export type DefaultField = (typeof defaultFields)[number];
export type ContainerDefaults = Record<DefaultField, string>;

export const quotaLabels: Record<QuotaField, string> = {
  requestsCpu: "CPU requests",
  limitsCpu: "CPU limits",
  requestsMemory: "Memory requests",
  limitsMemory: "Memory limits",
  pods: "Pods",
  storage: "Storage",
  loadBalancers: "Load balancers",
};

export const defaultLabels: Record<DefaultField, string> = {
  requestCpu: "Default CPU request",
  requestMemory: "Default memory request",
  limitCpu: "Default CPU limit",
  limitMemory: "Default memory limit",
};

/** What the form starts with: a small namespace, no load balancer. */
export const suggestedQuota: Quota = {
  requestsCpu: "2",
  limitsCpu: "4",
  requestsMemory: "4Gi",
  limitsMemory: "8Gi",
  pods: "50",
  storage: "20Gi",
  loadBalancers: "0",
};
export const suggestedDefaults: ContainerDefaults = { requestCpu: "100m", requestMemory: "128Mi", limitCpu: "500m", limitMemory: "512Mi" };

const countFields: ReadonlySet<string> = new Set(["pods", "loadBalancers"]);

function example(field: string): string {
  if (countFields.has(field)) return "a whole number such as 20";
  return /cpu/i.test(field) ? "a CPU quantity such as 500m or 2" : "a size such as 512Mi or 4Gi";
}

function quantity(field: string, label: string) {
  return z
    .string({ error: `Give the ${label.toLowerCase()}, ${example(field)}.` })
    .trim()
    .min(1, `Give the ${label.toLowerCase()}, ${example(field)}.`)
    .max(20, `${label} is too long; use ${example(field)}.`)
    .superRefine((value, ctx) => {
      if (value.startsWith("-")) return void ctx.addIssue({ code: "custom", message: `${label} cannot be negative; use ${example(field)}.` });
      if (countFields.has(field)) {
        if (!/^[0-9]+$/.test(value)) ctx.addIssue({ code: "custom", message: `${label} must be ${example(field)}, not "${value}".` });
      } else if (parseQuantity(value) === null) {
        ctx.addIssue({ code: "custom", message: `${label} must be a Kubernetes quantity, ${example(field)}, not "${value}".` });
      }
    });
}

export const quotaInput = z.object(
  Object.fromEntries(quotaFields.map((field) => [field, quantity(field, quotaLabels[field])])) as Record<QuotaField, ReturnType<typeof quantity>>,
);
export const containerDefaultsInput = z.object(
  Object.fromEntries(defaultFields.map((field) => [field, quantity(field, defaultLabels[field])])) as Record<DefaultField, ReturnType<typeof quantity>>,
);

const justification = z
  .string({ error: "Say what the namespace is for (at least 10 characters)." })
  .trim()
  .min(10, "Say what the namespace is for, in at least 10 characters.")
  .max(2000, "The justification can have at most 2,000 characters.");

const costCenter = z
  .string()
  .trim()
  .max(63, "The cost center can have at most 63 characters (it becomes a Kubernetes label).")
  .regex(
    /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/,
    "The cost center becomes a Kubernetes label: letters, digits, - _ and ., starting and ending with a letter or digit, such as CC-4711.",
  )
  .optional();

const id = (what: string) =>
  z
    .string({ error: `Choose the ${what}.` })
    .trim()
    .min(1, `Choose the ${what}.`);

export const namespaceRequestInput = z.object({
  teamId: id("team"),
  clusterId: id("cluster"),
  name: z.string({ error: "Give the namespace a name." }).trim().min(1, "Give the namespace a name, starting with your team's prefix."),
  quota: quotaInput,
  containerDefaults: containerDefaultsInput,
  costCenter,
  justification,
});
export type NamespaceRequestInput = z.output<typeof namespaceRequestInput>;

export const quotaChangeInput = z.object({ quota: quotaInput, containerDefaults: containerDefaultsInput, justification });
export type QuotaChangeInput = z.output<typeof quotaChangeInput>;

export const decisionInput = z.discriminatedUnion("decision", [
  z.object({ decision: z.literal("approve"), reason: z.string().trim().max(2000, "The reason can have at most 2,000 characters.").optional() }),
  z.object({
    decision: z.literal("reject"),
    reason: z
      .string({ error: "Say why the request is rejected, so the team knows what to change." })
      .trim()
      .min(3, "Say why the request is rejected, so the team knows what to change.")
      .max(500, "Keep the reason to 500 characters; it is sent to the requester as a notification."),
  }),
]);
