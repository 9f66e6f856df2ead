// The shape of a database as both sides can state it: what schema.prisma asks
// for (through Prisma's DMMF) and what PostgreSQL has (database-shape.ts).
// Types are spelled as PostgreSQL's format_type() prints them.
import type { Dmmf, DmmfField, DmmfModel } from "./prisma-dmmf";

export interface ColumnShape {
  type: string;
  notNull: boolean;
  /** "autoincrement", "now", a literal as text, or null for no database default. */
  default: string | null;
}

export interface IndexShape {
  name: string;
  unique: boolean;
  method: string;
  columns: string[];
}

export interface ForeignKeyShape {
  name: string;
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
  onDelete: string;
  onUpdate: string;
}

export interface TableShape {
  columns: Record<string, ColumnShape>;
  primaryKey: { name: string; columns: string[] } | null;
  indexes: IndexShape[];
  foreignKeys: ForeignKeyShape[];
}

export type DatabaseShape = Record<string, TableShape>;

// Prisma's PostgreSQL type for each scalar without @db.* (prisma-engines, psl postgres connector).
const DEFAULT_TYPES: Record<string, string> = {
  String: "text",
  Boolean: "boolean",
  Int: "integer",
  BigInt: "bigint",
  Float: "double precision",
  Decimal: "numeric(65,30)",
  DateTime: "timestamp(3) without time zone",
  Json: "jsonb",
  Bytes: "bytea",
};

// @db.* native types, as format_type() prints them; `$1` is the first argument.
const NATIVE_TYPES: Record<string, string> = {
  Text: "text",
  Uuid: "uuid",
  Xml: "xml",
  Inet: "inet",
  Citext: "citext",
  Boolean: "boolean",
  SmallInt: "smallint",
  Integer: "integer",
  BigInt: "bigint",
  Real: "real",
  DoublePrecision: "double precision",
  Money: "money",
  Oid: "oid",
  Json: "json",
  JsonB: "jsonb",
  ByteA: "bytea",
  Date: "date",
  VarChar: "character varying($1)",
  Char: "character($1)",
  Bit: "bit($1)",
  VarBit: "bit varying($1)",
  Decimal: "numeric($1,$2)",
  Timestamp: "timestamp($1) without time zone",
  Timestamptz: "timestamp($1) with time zone",
  Time: "time($1) without time zone",
  Timetz: "time($1) with time zone",
};

// Prisma's defaults when @relation names no action.
const DEFAULT_ON_UPDATE = "CASCADE";
const ACTIONS: Record<string, string> = {
  Cascade: "CASCADE",
  Restrict: "RESTRICT",
  NoAction: "NO ACTION",
  SetNull: "SET NULL",
  SetDefault: "SET DEFAULT",
};

export function shapeFromDmmf(dmmf: Dmmf): DatabaseShape {
  const models = new Map(dmmf.datamodel.models.map((model) => [model.name, model]));
  const shape: DatabaseShape = {};
  for (const model of dmmf.datamodel.models) {
    const table = tableName(model);
    const indexes = dmmf.datamodel.indexes.filter((index) => index.model === model.name);
    const id = indexes.find((index) => index.type === "id");
    shape[table] = {
      columns: Object.fromEntries(
        model.fields.filter((field) => field.kind === "scalar" || field.kind === "enum").map((field) => [columnName(field), column(field)]),
      ),
      primaryKey: id ? { name: id.dbName ?? `${table}_pkey`, columns: id.fields.map((f) => columnOf(model, f.name)) } : null,
      indexes: indexes
        .filter((index) => index.type === "unique" || index.type === "normal")
        .map((index) => {
          const columns = index.fields.map((f) => columnOf(model, f.name));
          const unique = index.type === "unique";
          return {
            name: index.dbName ?? constraintName(table, columns, unique ? "key" : "idx"),
            unique,
            method: (index.algorithm ?? "BTree").toLowerCase(),
            columns,
          };
        }),
      foreignKeys: model.fields
        .filter((field) => field.kind === "object" && (field.relationFromFields?.length ?? 0) > 0)
        .map((field) => {
          const target = models.get(field.type);
          if (!target) throw new Error(`Relation ${model.name}.${field.name} points at unknown model ${field.type}`);
          const columns = (field.relationFromFields ?? []).map((name) => columnOf(model, name));
          const optional = (field.relationFromFields ?? []).some((name) => !fieldOf(model, name).isRequired);
          return {
            name: constraintName(table, columns, "fkey"),
            columns,
            referencedTable: tableName(target),
            referencedColumns: (field.relationToFields ?? []).map((name) => columnOf(target, name)),
            onDelete: field.relationOnDelete ? action(field.relationOnDelete) : optional ? "SET NULL" : "RESTRICT",
            onUpdate: field.relationOnUpdate ? action(field.relationOnUpdate) : DEFAULT_ON_UPDATE,
          };
        }),
    };
  }
  return shape;
}

function column(field: DmmfField): ColumnShape {
  return {
    type: columnType(field) + (field.isList ? "[]" : ""),
    // Prisma never renders NOT NULL on a list column.
    notNull: field.isRequired && !field.isList,
    default: columnDefault(field),
  };
}

function columnType(field: DmmfField): string {
  if (field.kind === "enum") return `"${field.type}"`;
  if (field.nativeType) {
    const [name, args] = field.nativeType;
    const template = NATIVE_TYPES[name];
    if (!template) throw new Error(`Native type @db.${name} is not known to the schema check; add it to NATIVE_TYPES.`);
    return template.replace(/\$(\d)/g, (_, position: string) => args[Number(position) - 1] ?? "").replace(/\(,?\)/, "");
  }
  const type = DEFAULT_TYPES[field.type];
  if (!type) throw new Error(`Scalar type ${field.type} is not known to the schema check; add it to DEFAULT_TYPES.`);
  return type;
}

// Only defaults that live in the database: uuid(), cuid() and @updatedAt are
// filled in by Prisma Client, so their columns have no default.
function columnDefault(field: DmmfField): string | null {
  const value = field.default;
  if (value === undefined || Array.isArray(value)) return null;
  if (typeof value !== "object") return String(value);
  if (value.name === "autoincrement") return "autoincrement";
  if (value.name === "now") return "now";
  if (value.name === "dbgenerated") return String(value.args[0] ?? "");
  return null;
}

function action(prismaAction: string): string {
  const sql = ACTIONS[prismaAction];
  if (!sql) throw new Error(`Unknown referential action ${prismaAction}`);
  return sql;
}

// Prisma's default names (psl constraint_names.rs): table, columns, suffix.
// It shortens names over PostgreSQL's 63 bytes; none of ours are that long.
function constraintName(table: string, columns: string[], suffix: "key" | "idx" | "fkey"): string {
  const name = `${table}_${columns.join("_")}_${suffix}`;
  if (Buffer.byteLength(name) > 63) throw new Error(`${name} exceeds 63 bytes; give it an explicit map: name in schema.prisma.`);
  return name;
}

function tableName(model: DmmfModel): string {
  return model.dbName ?? model.name;
}

function columnName(field: DmmfField): string {
  return field.dbName ?? field.name;
}

function fieldOf(model: DmmfModel, name: string): DmmfField {
  const field = model.fields.find((f) => f.name === name);
  if (!field) throw new Error(`${model.name} has no field ${name}`);
  return field;
}

function columnOf(model: DmmfModel, fieldName: string): string {
  return columnName(fieldOf(model, fieldName));
}
