import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { ServiceForm } from "@/components/catalog/service-form";
import { requirePermission } from "@/lib/auth/current-actor";
import { ownerTeamChoices } from "@/lib/catalog/owner-teams";
import { createServiceAction } from "../actions";

export const metadata: Metadata = { title: "Register a service" };

export default async function NewServicePage() {
  const actor = await requirePermission("service:read");
  const teams = await ownerTeamChoices(actor);
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold">Register a service</h1>
      {teams.length === 0 ? (
        <Card>
          <p>
            You are not in any team, so there is no team you can register a service for. Ask your team lead to add you to the team&apos;s Entra group, then sign
            in again. Meanwhile you can{" "}
            <Link href="/catalog" className="text-primary underline underline-offset-2">
              browse the catalog
            </Link>
            .
          </p>
        </Card>
      ) : (
        <Card>
          <ServiceForm
            action={createServiceAction}
            mode="create"
            initial={{ ownerTeam: teams.length === 1 ? teams[0]!.slug : "", tier: "standard", lifecycle: "production" }}
            teams={teams}
          />
        </Card>
      )}
    </div>
  );
}
