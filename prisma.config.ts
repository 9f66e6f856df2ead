import { defineConfig } from "prisma/config";

// Migrations are committed SQL applied by lib/db/migrate.ts (see
// docs/decisions/0002-migrations-as-committed-sql.md); the URL is only needed
// by `prisma migrate status` on a machine that has the engine.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/wharf" },
});
