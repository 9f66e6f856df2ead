// What the board editor offers in its pickers: active teams and services, and the Log Analytics workspaces a KQL tile may read.
import { getPrisma } from "@/lib/db/client";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";

export interface BoardEditorOptions {
  teams: { id: string; slug: string; name: string }[];
  services: { slug: string; displayName: string }[];
  workspaces: string[];
}

export async function boardEditorOptions({ actor }: { actor: Actor }): Promise<BoardEditorOptions> {
  if (!can(actor, "board:read")) throw forbidden("board:read");
  const prisma = getPrisma();
  const [teams, services, workspaces] = await Promise.all([
    prisma.team.findMany({ where: { archivedAt: null }, select: { id: true, slug: true, name: true }, orderBy: { name: "asc" } }),
    prisma.service.findMany({ where: { retiredAt: null }, select: { slug: true, displayName: true }, orderBy: { displayName: "asc" }, take: 2000 }),
    prisma.telemetryWorkspace.findMany({ where: { missingSince: null }, select: { name: true }, orderBy: { name: "asc" } }),
  ]);
  return { teams, services, workspaces: workspaces.map((workspace) => workspace.name) };
}
