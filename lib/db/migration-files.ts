// Reads prisma/migrations the way Prisma Migrate does, so our runner and
// `prisma migrate status/deploy` see the same list and the same checksums.
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

export interface MigrationFile {
  /** Folder name, `<timestamp>_<name>`; also the `migration_name` recorded in `_prisma_migrations`. */
  name: string;
  script: string;
  checksum: string;
}

/**
 * Migration folders in Prisma's order. Prisma's CLI lists directories only,
 * sorts them with `localeCompare`, and reads `migration.sql` as UTF-8 text.
 */
export async function readMigrations(migrationsDir: string): Promise<MigrationFile[]> {
  let entries;
  try {
    entries = await readdir(migrationsDir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new Error(`No migrations folder at ${path.resolve(migrationsDir)}; run Wharf from the project root.`);
    }
    throw error;
  }
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b));

  return Promise.all(
    names.map(async (name) => {
      const file = path.join(migrationsDir, name, "migration.sql");
      let script: string;
      try {
        script = await readFile(file, "utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") {
          throw new Error(`Migration ${name} has no migration.sql (expected ${file}).`);
        }
        throw error;
      }
      return { name, script, checksum: migrationChecksum(script) };
    }),
  );
}

/**
 * Prisma's checksum (schema-engine `checksum.rs`, `render_checksum`): SHA-256
 * of the script's UTF-8 bytes, as 64 lowercase, zero-padded hex digits.
 */
export function migrationChecksum(script: string): string {
  return createHash("sha256").update(script, "utf8").digest("hex");
}

/**
 * Prisma's `script_matches_checksum`: the script as is, with CRLF turned into
 * LF, or with LF turned into CRLF (git may rewrite line endings on checkout),
 * and also the unpadded hex that old Prisma versions recorded
 * (prisma-engines#1887).
 */
export function checksumMatches(script: string, recorded: string): boolean {
  const candidates = [script, script.replaceAll("\r\n", "\n"), script.replaceAll("\n", "\r\n")];
  return candidates.some((candidate) => {
    const digest = createHash("sha256").update(candidate, "utf8").digest();
    const rendered = recorded.length === 64 ? digest.toString("hex") : [...digest].map((byte) => byte.toString(16)).join("");
    return rendered === recorded;
  });
}
