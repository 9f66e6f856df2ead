import type { Metadata } from "next";
import { forbidden, notFound } from "next/navigation";
import { Card } from "@/components/ui/card";
import { ServiceForm } from "@/components/catalog/service-form";
import { requirePermission } from "@/lib/auth/current-actor";
import { getService } from "@/lib/catalog/get-service";
import { formFromService } from "@/lib/catalog/service-form";
import { toParsedService } from "@/lib/catalog/service-view";
import { ownerTeamChoices } from "@/lib/catalog/owner-teams";
import { isAppError } from "@/lib/errors";
import { updateServiceAction } from "../../actions";

export const metadata: Metadata = { title: "Edit service" };

export default async function EditServicePage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const actor = await requirePermission("service:read");
  const detail = await getService({ actor, slug }).catch((error: unknown) => {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  });
  if (!detail.canEdit) forbidden();
  const teams = await ownerTeamChoices(actor);
  const owner = detail.service.ownerTeam;
  const choices = teams.some((team) => team.slug === owner.slug) ? teams : [{ slug: owner.slug, name: owner.name }, ...teams];
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold">Edit {detail.service.displayName}</h1>
      <Card>
        <ServiceForm action={updateServiceAction} mode="edit" initial={formFromService(toParsedService(detail.service))} teams={choices} />
      </Card>
    </div>
  );
}
