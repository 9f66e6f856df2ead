// prisma-dmmf.ts drives the schema WebAssembly that the `prisma` CLI bundles
// with hand-written wasm-bindgen glue (the CLI ships no loadable wrapper), and
// the schema-match test trusts what it returns. This pins that contract: the
// exports the glue calls, and the DMMF fields the schema shape reads. A Prisma
// upgrade that changes either fails here, not as a puzzling schema mismatch.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { getDmmf } from "./prisma-dmmf";

const prismaDir = path.dirname(createRequire(import.meta.url).resolve("prisma/package.json"));
const wasmModule = new WebAssembly.Module(readFileSync(path.join(prismaDir, "build", "prisma_schema_build_bg.wasm")));

const schema = `
datasource db {
  provider = "postgresql"
}

model Team {
  id        String    @id @default(uuid()) @db.Uuid
  slug      String    @unique
  name      String?   @db.VarChar(100)
  services  Service[]
  updatedAt DateTime  @updatedAt @map("updated_at")

  @@index([name], map: "team_name_idx")
  @@map("teams")
}

model Service {
  id     Int    @id @default(autoincrement())
  teamId String @db.Uuid
  team   Team   @relation(fields: [teamId], references: [id], onDelete: Cascade)
}
`;

describe("Prisma's schema WebAssembly", () => {
  it("exports what prisma-dmmf.ts's glue calls", () => {
    const exports = WebAssembly.Module.exports(wasmModule).map((entry) => entry.name);
    for (const name of [
      "memory",
      "get_dmmf",
      "__wbindgen_malloc",
      "__wbindgen_free",
      "__wbindgen_externrefs",
      "__externref_table_dealloc",
      "__wbindgen_start",
    ]) {
      expect(exports, `the schema wasm no longer exports ${name}; update lib/db/schema-check/prisma-dmmf.ts`).toContain(name);
    }
  });

  it("returns the DMMF fields the schema-match test reads", () => {
    const { datamodel } = getDmmf(schema);
    const team = datamodel.models.find((model) => model.name === "Team")!;
    expect(team.dbName).toBe("teams");
    const field = (name: string) => team.fields.find((candidate) => candidate.name === name)!;
    expect(field("id")).toMatchObject({
      kind: "scalar",
      type: "String",
      isId: true,
      isRequired: true,
      isList: false,
      nativeType: ["Uuid", []],
      default: { name: "uuid", args: [4] },
    });
    expect(field("name")).toMatchObject({ isRequired: false, nativeType: ["VarChar", ["100"]] });
    expect(field("updatedAt")).toMatchObject({ dbName: "updated_at", isUpdatedAt: true, type: "DateTime" });
    expect(field("services")).toMatchObject({ kind: "object", type: "Service", isList: true });
    const service = datamodel.models.find((model) => model.name === "Service")!;
    expect(service.fields.find((candidate) => candidate.name === "team")).toMatchObject({
      relationFromFields: ["teamId"],
      relationToFields: ["id"],
      relationOnDelete: "Cascade",
    });
    expect(datamodel.indexes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ model: "Team", type: "unique", fields: [{ name: "slug" }] }),
        expect.objectContaining({ model: "Team", type: "normal", dbName: "team_name_idx", fields: [{ name: "name" }] }),
        expect.objectContaining({ model: "Team", type: "id", fields: [{ name: "id" }] }),
      ]),
    );
  });

  it("reports an invalid schema as an Error through the glue", () => {
    expect(() => getDmmf("model Broken { id Nope @id }")).toThrow(Error);
  });
});
