// Checks team group ids against the directory through Microsoft Graph, with
// Wharf's own app token (client credentials). Where Graph cannot be asked
// (no permission granted, outage), the change goes ahead and says so.
import type { IdentityConfig } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { httpsRequest } from "@/lib/auth/https-client";
import { msalClient } from "@/lib/auth/msal";

export type GroupCheck = { verified: true; names: Record<string, string> } | { verified: false; reason: string };

export interface Directory {
  /** Throws invalid_input naming the first group the directory does not know. */
  checkGroups(ids: string[]): Promise<GroupCheck>;
}

export function graphDirectory(identity: IdentityConfig): Directory {
  return {
    async checkGroups(ids) {
      let token: string;
      try {
        const result = await msalClient(identity).acquireTokenByClientCredential({ scopes: [`${identity.graphEndpoint}/.default`] });
        if (!result?.accessToken) return { verified: false, reason: "no token for Microsoft Graph" };
        token = result.accessToken;
      } catch (error) {
        return { verified: false, reason: `no token for Microsoft Graph (${error instanceof Error ? error.message.split("\n")[0] : "unknown error"})` };
      }
      const answers = await Promise.all(
        ids.map(async (id) => {
          try {
            const response = await httpsRequest(`${identity.graphEndpoint}/v1.0/groups/${encodeURIComponent(id)}?$select=id,displayName`, {
              method: "GET",
              headers: { authorization: `Bearer ${token}`, accept: "application/json" },
              caFile: identity.caFile,
              timeoutMs: 5_000,
            });
            return { id, status: response.status, body: response.body };
          } catch (error) {
            return { id, status: 0, body: error instanceof Error ? error.message : "unreachable" };
          }
        }),
      );
      const missing = answers.findIndex((answer) => answer.status === 404);
      if (missing >= 0) {
        throw new AppError(
          "invalid_input",
          `The directory has no group with object ID ${ids[missing]}. Copy the Object ID from Entra ID → Groups → the group's overview.`,
          {
            path: ["entraGroupIds", missing],
          },
        );
      }
      const failed = answers.find((answer) => answer.status !== 200);
      if (failed) return { verified: false, reason: `Microsoft Graph answered ${failed.status || "nothing"} for group ${failed.id}` };
      const names: Record<string, string> = {};
      for (const answer of answers) names[answer.id] = (JSON.parse(answer.body) as { displayName?: string }).displayName ?? answer.id;
      return { verified: true, names };
    },
  };
}
