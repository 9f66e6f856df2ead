import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { checksumMatches, migrationChecksum, readMigrations } from "./migration-files";

test("checksums are Prisma's: SHA-256 hex, zero-padded (vector from prisma-engines checksum.rs)", () => {
  expect(migrationChecksum("hello")).toBe("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
});

test("the committed migration's checksum is the SHA-256 of its bytes on disk", async () => {
  const [init] = await readMigrations("prisma/migrations");
  expect(init?.name).toBe("20261126000000_init");
  const bytes = readFileSync("prisma/migrations/20261126000000_init/migration.sql");
  expect(init?.checksum).toBe(createHash("sha256").update(bytes).digest("hex"));
});

test("a checksum matches across line endings, as Prisma's does", () => {
  const lf = "ab\ncd\nef\ngh\rab\n";
  const crlf = "ab\r\ncd\r\nef\r\ngh\rab\r\n";
  expect(checksumMatches(lf, migrationChecksum(crlf))).toBe(true);
  expect(checksumMatches(crlf, migrationChecksum(lf))).toBe(true);
  expect(checksumMatches("abc", migrationChecksum("abcd"))).toBe(false);
  expect(checksumMatches("abc\n", migrationChecksum("abc"))).toBe(false);
});

test("old unpadded checksums still match (prisma-engines#1887)", () => {
  const digest = createHash("sha256").update("select 1;").digest();
  const unpadded = [...digest].map((byte) => byte.toString(16)).join("");
  expect(unpadded.length).toBeLessThan(64);
  expect(checksumMatches("select 1;", unpadded)).toBe(true);
});
