// How Wharf signs in to its PostgreSQL, in one place for every pool and client it opens (Prisma, pg-boss, the change
// feed, the locks, the rate limits, the migrations): DATABASE_URL as it is, or with WHARF_DATABASE_AUTH=entra a
// Microsoft Entra access token as each new connection's password, as Azure Database for PostgreSQL's Entra
// authentication wants (decision 0076). The token comes from Wharf's own identity (workload identity on AKS); the
// credential caches it until shortly before it expires, so a pool opening a connection an hour later gets a new one.
import { getConfig } from "@/lib/config";
import type { TokenCredential } from "@azure/identity";
import { parseIntoClientConfig } from "pg-connection-string";
import { azureCredential } from "@/lib/azure/credential";

/** The token scope Azure Database for PostgreSQL checks (its audience is the same for every server). */
export const postgresScope = "https://ossrdbms-aad.database.windows.net/.default";

/**
 * What node-postgres takes, for a pg.Pool, a pg.Client, PrismaPg or pg-boss: the URL as it is, or with Entra
 * authentication the URL's parts (node-postgres lets a connection string's empty password win over a password
 * function, so the URL is parsed here as node-postgres would) and the function called for each new connection.
 */
export type DatabaseConnection =
  { connectionString: string } | (Omit<ReturnType<typeof parseIntoClientConfig>, "password"> & { password: () => Promise<string> });

export function databaseAuth(env: NodeJS.ProcessEnv = process.env): "password" | "entra" {
  return env.WHARF_DATABASE_AUTH === "entra" ? "entra" : "password";
}

/** `credential` is Wharf's own identity unless given (a test's). */
export function databaseConnection(connectionString: string, { credential }: { credential?: TokenCredential } = {}): DatabaseConnection {
  if (databaseAuth() !== "entra") return { connectionString };
  const { password: _none, ...parts } = parseIntoClientConfig(connectionString);
  return {
    ...parts,
    password: async () => {
      try {
        const token = await (credential ?? azureCredential(getConfig())).getToken(postgresScope);
        if (!token) throw new Error("the credential returned no token");
        return token.token;
      } catch (error) {
        throw new Error(
          `Wharf could not get a Microsoft Entra token to sign in to PostgreSQL (WHARF_DATABASE_AUTH=entra, scope ${postgresScope}): ` +
            `${error instanceof Error ? error.message : String(error)}`,
        );
      }
    },
  };
}
