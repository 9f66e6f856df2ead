import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { NamespaceDetailView } from "@/components/namespaces/namespace-detail";
import { requirePermission } from "@/lib/auth/current-actor";
import { can } from "@/lib/auth/permissions";
import { isAppError } from "@/lib/errors";
import { getNamespace } from "@/lib/namespaces/list-namespaces";

export const metadata: Metadata = { title: "Namespace" };

export default async function NamespacePage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePermission("namespace:read");
  const detail = await getNamespace({ actor, id: (await params).id }).catch((error: unknown) => {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  });
  return (
    <NamespaceDetailView
      initial={detail}
      permissions={{ member: can(actor, "namespace:request", { teamId: detail.namespace.team.id }), admin: can(actor, "namespace:manage") }}
    />
  );
}
