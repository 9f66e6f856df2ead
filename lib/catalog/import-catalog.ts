// Backstage catalog-info.yaml import: a preview that says, per document, what
// would be created, updated, left alone or refused, then an apply of exactly
// the documents the user confirmed, in one transaction. The apply re-plans on
// the server; a client's preview is never trusted.
import { getPrisma } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import { getConfig } from "@/lib/config";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { parseCatalogInfo, type CatalogError } from "@/lib/catalog/backstage/parse-catalog-info";
import { registryAllowed, serviceInput, type ParsedService } from "@/lib/catalog/service-input";
import { serviceInclude, toParsedService, toServiceView } from "@/lib/catalog/service-view";
import { randomUUID } from "node:crypto";
import { serviceData } from "@/lib/catalog/save-service";
import { updateServiceInTransaction } from "@/lib/catalog/update-service";

export type ImportAction = "create" | "update" | "unchanged" | "refused" | "invalid";

export interface ImportPlanItem {
  index: number;
  line: number;
  name?: string;
  action: ImportAction;
  errors: CatalogError[];
  warnings: CatalogError[];
  /** For updates: the fields that would change. */
  changes: string[];
  service?: ParsedService;
}

export interface ImportPlan {
  fileErrors: CatalogError[];
  items: ImportPlanItem[];
  counts: Record<ImportAction, number>;
}

type Reader = Pick<Prisma.TransactionClient, "service" | "team">;

/** JSON with sorted keys: PostgreSQL's jsonb does not keep key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === "object" && !Array.isArray(inner) ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b))) : inner,
  );
}

/** Field-by-field comparison; absent and null links mean the same thing. */
function changedFields(before: ParsedService, after: ParsedService): string[] {
  const normal = (service: ParsedService) => ({ ...service, links: Object.fromEntries(Object.entries(service.links).filter(([, url]) => url)) });
  const a = normal(before) as Record<string, unknown>;
  const b = normal(after) as Record<string, unknown>;
  return Object.keys(b).filter((key) => canonical(a[key]) !== canonical(b[key]));
}

async function plan(db: Reader, actor: Actor, file: string | Uint8Array): Promise<ImportPlan> {
  const parsed = parseCatalogInfo(file);
  const counts: Record<ImportAction, number> = { create: 0, update: 0, unchanged: 0, refused: 0, invalid: 0 };
  if (parsed.fileErrors.length) return { fileErrors: parsed.fileErrors, items: [], counts };
  const slugs = parsed.documents.flatMap((doc) => (doc.service ? [doc.service.slug] : []));
  const teamSlugs = [...new Set(parsed.documents.flatMap((doc) => (doc.service ? [doc.service.ownerTeam] : [])))];
  const [existing, teams] = await Promise.all([
    db.service.findMany({ where: { slug: { in: slugs } }, include: serviceInclude }),
    db.team.findMany({ where: { slug: { in: teamSlugs } }, select: { id: true, slug: true, archivedAt: true } }),
  ]);
  const bySlug = new Map(existing.map((row) => [row.slug, toServiceView(row)]));
  const teamBySlug = new Map(teams.map((team) => [team.slug, team]));
  const allowed = getConfig().azure.allowedRegistries;

  const items = parsed.documents.map((doc): ImportPlanItem => {
    const item: ImportPlanItem = {
      index: doc.index,
      line: doc.line,
      name: doc.name,
      action: "invalid",
      errors: [...doc.errors],
      warnings: doc.warnings,
      changes: [],
    };
    if (!doc.service || item.errors.length) return item;
    const service = serviceInput.parse(doc.service);
    const refuse = (message: string, path?: string): ImportPlanItem => ({ ...item, action: "refused", errors: [{ line: doc.line, path, message }] });
    const error = (message: string, path?: string): ImportPlanItem => ({ ...item, errors: [{ line: doc.line, path, message }] });
    const image = service.deploySpec?.imageRepository;
    if (image && !registryAllowed(image, allowed))
      return error(
        `Images must come from an allowed registry (${allowed.join(", ")}); ${image.split("/")[0]} is not one.`,
        "metadata.annotations.wharf.io/deploy-spec",
      );
    const team = teamBySlug.get(service.ownerTeam);
    if (!team) return error(`There is no team "${service.ownerTeam}" in Wharf; create it first or change spec.owner.`, "spec.owner");
    if (team.archivedAt) return error(`Team "${service.ownerTeam}" is archived and cannot own services; change spec.owner.`, "spec.owner");
    const current = bySlug.get(service.slug);
    if (!current) {
      if (!can(actor, "service:create", { teamId: team.id }))
        return refuse(`You are not in team "${service.ownerTeam}", so you cannot register services for it.`, "spec.owner");
      return { ...item, action: "create", service };
    }
    if (current.retiredAt)
      return refuse(`"${service.slug}" belonged to a service that was retired; slugs are never reused. Rename metadata.name.`, "metadata.name");
    if (!can(actor, "service:update", { teamId: current.ownerTeam.id }))
      return refuse(`"${service.slug}" belongs to ${current.ownerTeam.name}; only its members can change it.`, "metadata.name");
    if (team.id !== current.ownerTeam.id && !can(actor, "service:update", { teamId: team.id }))
      return refuse(`You can hand "${service.slug}" only to a team you belong to.`, "spec.owner");
    const changes = changedFields(toParsedService(current), service);
    return { ...item, action: changes.length ? "update" : "unchanged", changes, service };
  });
  for (const item of items) counts[item.action] += 1;
  return { fileErrors: [], items, counts };
}

export async function previewImport({ actor, file }: { actor: Actor; file: string | Uint8Array }): Promise<ImportPlan> {
  if (!can(actor, "service:read")) throw forbidden("service:read");
  return plan(getPrisma(), actor, file);
}

/**
 * New services in bulk: a few statements per thousand services instead of
 * several per service, so a 5,000-document file stays within seconds. The
 * plan above already checked teams, permissions and slugs; the unique index
 * still refuses a slug registered concurrently.
 */
async function createMany(tx: Prisma.TransactionClient, actor: Actor, services: ParsedService[]): Promise<void> {
  const teams = new Map(
    (await tx.team.findMany({ where: { slug: { in: [...new Set(services.map((s) => s.ownerTeam))] } }, select: { id: true, slug: true, name: true } })).map(
      (t) => [t.slug, t],
    ),
  );
  const now = new Date();
  for (let start = 0; start < services.length; start += 1000) {
    const batch = services.slice(start, start + 1000).map((service) => ({ id: randomUUID(), service, team: teams.get(service.ownerTeam)! }));
    await tx.service.createMany({
      data: batch.map(({ id, service, team }) => ({ id, slug: service.slug, createdAt: now, updatedAt: now, ...serviceData(service, team.id) })),
    });
    await tx.serviceDependency.createMany({
      data: batch.flatMap(({ id, service }) =>
        service.dependencies.map((dependency, position) => ({
          serviceId: id,
          position,
          kind: dependency.kind,
          target: dependency.kind === "service" ? dependency.service : dependency.target,
        })),
      ),
    });
    await tx.auditEvent.createMany({
      data: batch.map(({ id, service, team }) => ({
        actorId: actor.kind === "user" ? actor.userId : null,
        actorName: actor.name,
        action: "service.create",
        resourceType: "service",
        resourceId: service.slug,
        outcome: "success",
        after: { id, ...service, ownerTeam: { id: team.id, slug: team.slug, name: team.name } } as Prisma.InputJsonValue,
        detail: "Imported from catalog-info.yaml",
      })),
    });
  }
}

export interface ImportResult {
  created: string[];
  updated: string[];
}

/** Applies the confirmed documents (by slug) all together, or none of them. */
export async function applyImport({ actor, file, confirmed }: { actor: Actor; file: string | Uint8Array; confirmed: string[] }): Promise<ImportResult> {
  if (!can(actor, "service:read")) throw forbidden("service:read");
  if (confirmed.length === 0) throw new AppError("invalid_input", "Choose at least one document to import.", { path: ["confirmed"] });
  return getPrisma().$transaction(
    async (tx) => {
      const current = await plan(tx, actor, file);
      if (current.fileErrors.length) throw new AppError("invalid_input", current.fileErrors[0]!.message);
      const bySlug = new Map(current.items.flatMap((item) => (item.service ? [[item.service.slug, item] as const] : [])));
      const result: ImportResult = { created: [], updated: [] };
      const creates: ParsedService[] = [];
      for (const slug of new Set(confirmed)) {
        const item = bySlug.get(slug);
        if (!item || (item.action !== "create" && item.action !== "update")) {
          throw new AppError(
            "conflict",
            `"${slug}" can no longer be imported as previewed (${item ? `it is now ${item.action}` : "it is not in the file"}); preview the file again.`,
            { path: ["confirmed"] },
          );
        }
        if (item.action === "create") {
          creates.push(item.service!);
          result.created.push(slug);
        } else {
          await updateServiceInTransaction(tx, actor, item.service!);
          result.updated.push(slug);
        }
      }
      await createMany(tx, actor, creates);
      await recordAuditEvent(tx, {
        actor,
        action: "catalog.import",
        resourceType: "catalog",
        outcome: "success",
        after: { created: result.created.length, updated: result.updated.length },
        detail: `Imported catalog-info.yaml: ${result.created.length} created, ${result.updated.length} updated`,
      });
      return result;
    },
    // A large catalog file is thousands of writes; the default 5 s would cut it off half-way (and roll it back).
    { timeout: 120_000, maxWait: 10_000 },
  );
}
