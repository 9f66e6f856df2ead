// Entra leaves `groups` out of the token for users in more than 200 groups and
// points at Graph instead (`_claim_names`); we ask Graph for the full list.
import type { IdentityConfig } from "@/lib/config";
import { httpsRequest } from "@/lib/auth/https-client";
import { z } from "zod";

const memberObjects = z.object({ value: z.array(z.string()), "@odata.nextLink": z.string().optional() });

export function hasGroupOverage(claims: Record<string, unknown>): boolean {
  const names = claims._claim_names;
  return typeof names === "object" && names !== null && "groups" in names;
}

export async function fetchMemberGroups(accessToken: string, identity: Pick<IdentityConfig, "graphEndpoint" | "caFile">): Promise<string[]> {
  const response = await httpsRequest(`${identity.graphEndpoint}/v1.0/me/getMemberObjects`, {
    method: "POST",
    headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json" },
    body: JSON.stringify({ securityEnabledOnly: false }),
    caFile: identity.caFile,
  });
  if (response.status !== 200) {
    throw new Error(`Microsoft Graph answered ${response.status} when listing your groups`);
  }
  return memberObjects.parse(JSON.parse(response.body)).value;
}
