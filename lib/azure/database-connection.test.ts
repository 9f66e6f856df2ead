// Entra authentication to PostgreSQL, against the sandbox's identity provider and the test run's real PostgreSQL:
// the token Wharf's identity gets for Azure Database for PostgreSQL's scope is what each new connection sends as its
// password (a role whose password is that token signs in; one whose password is anything else is refused), through
// node-postgres's pools and clients and Prisma's. The settings' mistakes are said at start.
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getConfig, loadConfig } from "@/lib/config";
import { getPrisma, releasePrisma } from "@/lib/db/client";
import { ClientSecretCredential } from "@azure/identity";
import { azureCredential, azureTlsOptions } from "@/lib/azure/credential";
import { databaseConnection, postgresScope } from "@/lib/azure/database-connection";

const role = `wharf_entra_${randomBytes(3).toString("hex")}`;
const refused = `wharf_other_${randomBytes(3).toString("hex")}`;
let admin: pg.Client;
let url: (user: string) => string;

beforeAll(async () => {
  process.env.WHARF_DATA_DIR = mkdtempSync(join(tmpdir(), "wharf-pg-entra-"));
  // The sandbox's configuration read first, as it is (the test run's DATABASE_URL has a password, which Entra
  // authentication would refuse at start); from here on new connections sign in with a token.
  getConfig();
  process.env.WHARF_DATABASE_AUTH = "entra";
  admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  // As Azure's pgaadauth_create_principal would make Wharf's principal, with the token the server would accept.
  const token = await azureCredential(getConfig()).getToken(postgresScope);
  await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${token!.token.replaceAll("'", "''")}'`);
  await admin.query(`CREATE ROLE ${refused} LOGIN PASSWORD 'not-a-token'`);
  url = (user) => {
    const address = new URL(process.env.DATABASE_URL!);
    address.username = user;
    address.password = "";
    return address.toString();
  };
});

afterAll(async () => {
  delete process.env.WHARF_DATABASE_AUTH;
  await admin.query(`DROP ROLE IF EXISTS ${role}`);
  await admin.query(`DROP ROLE IF EXISTS ${refused}`);
  await admin.end();
});

describe("WHARF_DATABASE_AUTH=entra", () => {
  it("signs in with the token of Wharf's identity for PostgreSQL's scope, asked for when each connection opens", async () => {
    const connection = databaseConnection(url(role));
    expect("password" in connection && typeof connection.password).toBe("function");
    const client = new pg.Client(connection);
    await client.connect();
    try {
      expect((await client.query<{ user: string }>("SELECT current_user AS user")).rows[0]!.user).toBe(role);
    } finally {
      await client.end();
    }
    // A pool opens its connections the same way: two at once, each with the token.
    const pool = new pg.Pool({ ...databaseConnection(url(role)), max: 2 });
    try {
      const users = await Promise.all([pool.query("SELECT current_user AS user, pg_sleep(0.1)"), pool.query("SELECT current_user AS user")]);
      expect(users.map((result) => result.rows[0].user)).toEqual([role, role]);
      expect(pool.totalCount).toBe(2);
    } finally {
      await pool.end();
    }
  });

  it("is how Prisma's pool signs in too", async () => {
    const shared = process.env.DATABASE_URL;
    await releasePrisma();
    process.env.DATABASE_URL = url(role);
    try {
      const [row] = await getPrisma().$queryRaw<{ user: string }[]>`SELECT current_user AS "user"`;
      expect(row!.user).toBe(role);
    } finally {
      await releasePrisma();
      process.env.DATABASE_URL = shared;
    }
  });

  it("is refused by a server whose role expects another password: the token is what is sent, not nothing", async () => {
    const client = new pg.Client(databaseConnection(url(refused)));
    await expect(client.connect()).rejects.toThrow(/password authentication failed for user "wharf_other_/);
  });

  it("says which token could not be had when Wharf's identity cannot get one", async () => {
    const { identity, azure } = getConfig();
    const failing = new ClientSecretCredential(identity.tenantId, identity.clientId, "not-the-secret", {
      authorityHost: azure.authorityHost,
      disableInstanceDiscovery: true,
      ...(azureTlsOptions(getConfig()) && { tlsOptions: azureTlsOptions(getConfig()) }),
    });
    await expect(failing.getToken(postgresScope)).rejects.toThrow();
    // The connection fails with a message that names Entra, the setting and the scope, and the identity's own reason.
    const client = new pg.Client(databaseConnection(url(role), { credential: failing }));
    await expect(client.connect()).rejects.toThrow(
      /^Wharf could not get a Microsoft Entra token to sign in to PostgreSQL \(WHARF_DATABASE_AUTH=entra, scope https:\/\/ossrdbms-aad\.database\.windows\.net\/\.default\): .+/,
    );
  });

  it("refuses at start a DATABASE_URL with a password of its own, or with no user", () => {
    const sandbox = { SANDBOX_ENDPOINTS_FILE: process.env.SANDBOX_ENDPOINTS_FILE!, WHARF_DATA_DIR: process.env.WHARF_DATA_DIR!, WHARF_DATABASE_AUTH: "entra" };
    expect(() => loadConfig({ ...sandbox, DATABASE_URL: "postgresql://wharf:secret@db.example.com:5432/wharf" })).toThrow(
      /DATABASE_URL has a password, but WHARF_DATABASE_AUTH=entra signs in with a Microsoft Entra token instead; remove the password/,
    );
    expect(() => loadConfig({ ...sandbox, DATABASE_URL: "postgresql://db.example.com:5432/wharf" })).toThrow(/DATABASE_URL names no user/);
    expect(() => loadConfig({ ...sandbox, DATABASE_URL: "postgresql://wharf-prod@db.example.com:5432/wharf?sslmode=require" })).not.toThrow();
    expect(() => loadConfig({ ...sandbox, WHARF_DATABASE_AUTH: "token" })).toThrow(/WHARF_DATABASE_AUTH must be password or entra/);
  });
});
