// Demo data for the sandbox. Idempotent: runs on every start and only adds
// what is missing, so changes people made in the demo survive a restart.
import { sandboxTeams } from "../sandbox/personas";
import { seedTeams } from "../lib/teams/seed-teams";

export async function seedSandbox(): Promise<{ teams: number }> {
  const teams = await seedTeams(sandboxTeams.map((team) => ({ slug: team.slug, name: team.name, groupIds: [...team.groupIds] })));
  return { teams };
}
