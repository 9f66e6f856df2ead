// Prisma's own reading of schema.prisma (its DMMF), from the schema wasm that
// the installed `prisma` CLI bundles, so the schema-match test sees the schema
// exactly as `prisma generate` and `prisma migrate` do, native types and
// indexes included. The CLI ships the wasm without a loadable wrapper, hence
// the few lines of wasm-bindgen glue below.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

export interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "object" | "enum" | "unsupported";
  type: string;
  isList: boolean;
  isRequired: boolean;
  isId: boolean;
  isUpdatedAt: boolean;
  nativeType?: [string, string[]] | null;
  default?: { name: string; args: unknown[] } | string | number | boolean | unknown[];
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
}

export interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}

export interface DmmfIndex {
  model: string;
  type: "id" | "unique" | "normal" | "fulltext";
  dbName?: string | null;
  algorithm?: string;
  fields: { name: string }[];
}

export interface Dmmf {
  datamodel: { models: DmmfModel[]; enums: unknown[]; indexes: DmmfIndex[] };
}

interface SchemaWasm {
  memory: WebAssembly.Memory;
  __wbindgen_externrefs: WebAssembly.Table;
  __wbindgen_malloc(size: number, align: number): number;
  __wbindgen_free(pointer: number, size: number, align: number): void;
  __externref_table_dealloc(index: number): void;
  __wbindgen_start(): void;
  get_dmmf(pointer: number, length: number): [number, number, number, number];
}

let instance: SchemaWasm | undefined;

export function getDmmf(schemaText: string): Dmmf {
  const wasm = (instance ??= loadSchemaWasm());
  const input = new TextEncoder().encode(JSON.stringify({ prismaSchema: [["schema.prisma", schemaText]], noColor: true }));
  const pointer = wasm.__wbindgen_malloc(input.length, 1) >>> 0;
  new Uint8Array(wasm.memory.buffer, pointer, input.length).set(input);
  const [resultPointer, resultLength, errorIndex, failed] = wasm.get_dmmf(pointer, input.length);
  if (failed) {
    const error: unknown = wasm.__wbindgen_externrefs.get(errorIndex);
    wasm.__externref_table_dealloc(errorIndex);
    throw error instanceof Error ? error : new Error(String(error));
  }
  try {
    return JSON.parse(readString(wasm, resultPointer, resultLength)) as Dmmf;
  } finally {
    wasm.__wbindgen_free(resultPointer, resultLength, 1);
  }
}

function readString(wasm: SchemaWasm, pointer: number, length: number): string {
  return new TextDecoder("utf-8", { fatal: true }).decode(new Uint8Array(wasm.memory.buffer, pointer >>> 0, length));
}

function loadSchemaWasm(): SchemaWasm {
  const prismaPackage = createRequire(import.meta.url).resolve("prisma/package.json");
  const wasmModule = new WebAssembly.Module(readFileSync(path.join(path.dirname(prismaPackage), "build", "prisma_schema_build_bg.wasm")));
  // The imports below run during and after instantiation, so they reach the instance through this holder.
  const loaded: { wasm?: SchemaWasm } = {};
  const text = (pointer: number, length: number) => (loaded.wasm ? readString(loaded.wasm, pointer, length) : "");
  // Import names carry a per-build hash suffix; match them by prefix so a
  // Prisma upgrade does not break this loader.
  const glue: Record<string, (...args: number[]) => unknown> = {};
  for (const { name } of WebAssembly.Module.imports(wasmModule)) {
    if (name.startsWith("__wbg_Error_")) glue[name] = (pointer, length) => new Error(text(pointer, length));
    else if (name.startsWith("__wbg___wbindgen_throw_"))
      glue[name] = (pointer, length) => {
        throw new Error(text(pointer, length));
      };
    else if (name.startsWith("__wbg_set_message_"))
      glue[name] = (pointer, length) => {
        throw new Error(`Prisma schema wasm panicked: ${text(pointer, length)}`);
      };
    else if (name === "__wbindgen_init_externref_table") glue[name] = () => initExternrefTable(loaded.wasm);
    else throw new Error(`Unknown import ${name} in Prisma's schema wasm; update lib/db/schema-check/prisma-dmmf.ts.`);
  }
  const wasm = new WebAssembly.Instance(wasmModule, { __wbindgen_placeholder__: glue }).exports as unknown as SchemaWasm;
  loaded.wasm = wasm;
  wasm.__wbindgen_start();
  return wasm;
}

// What wasm-bindgen's generated JS does: reserve the first slots of the
// reference table for undefined, null, true and false.
function initExternrefTable(wasm: SchemaWasm | undefined): void {
  if (!wasm) return;
  const table = wasm.__wbindgen_externrefs;
  const offset = table.grow(4);
  table.set(0, undefined);
  table.set(offset, undefined);
  table.set(offset + 1, null);
  table.set(offset + 2, true);
  table.set(offset + 3, false);
}
