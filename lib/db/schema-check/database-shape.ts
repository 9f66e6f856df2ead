// What PostgreSQL actually has, read from pg_catalog, in the same shape that
// schema-shape.ts derives from schema.prisma. Triggers and functions are not
// read: schema.prisma cannot express them (the AuditEvent trigger has its own test).
import type pg from "pg";
import type { DatabaseShape, ForeignKeyShape, IndexShape, TableShape } from "./schema-shape";

const IGNORED_TABLES = new Set(["_prisma_migrations"]);

const ACTION_CODES: Record<string, string> = { a: "NO ACTION", r: "RESTRICT", c: "CASCADE", n: "SET NULL", d: "SET DEFAULT" };

export async function shapeFromDatabase(client: pg.ClientBase): Promise<DatabaseShape> {
  const shape: DatabaseShape = {};
  const table = (name: string): TableShape => (shape[name] ??= { columns: {}, primaryKey: null, indexes: [], foreignKeys: [] });

  const tables = await client.query<{ table_name: string }>(
    `SELECT c.relname AS table_name FROM pg_class c
     WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')`,
  );
  for (const row of tables.rows) if (!IGNORED_TABLES.has(row.table_name)) table(row.table_name);

  const columns = await client.query<{ table_name: string; column_name: string; type: string; not_null: boolean; default: string | null }>(
    `SELECT c.relname AS table_name, a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS type,
            a.attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS default
     FROM pg_attribute a
     JOIN pg_class c ON c.oid = a.attrelid
     LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
     ORDER BY c.relname, a.attnum`,
  );
  for (const row of columns.rows) {
    if (IGNORED_TABLES.has(row.table_name)) continue;
    table(row.table_name).columns[row.column_name] = { type: row.type, notNull: row.not_null, default: normalizeDefault(row.default) };
  }

  const indexes = await client.query<{ table_name: string; name: string; primary: boolean; unique: boolean; method: string; columns: string[] }>(
    `SELECT t.relname AS table_name, i.relname AS name, x.indisprimary AS primary, x.indisunique AS unique, am.amname AS method,
            ARRAY(SELECT a.attname FROM unnest(x.indkey) WITH ORDINALITY AS k(attnum, position)
                  JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.position)::text[] AS columns
     FROM pg_index x
     JOIN pg_class t ON t.oid = x.indrelid
     JOIN pg_class i ON i.oid = x.indexrelid
     JOIN pg_am am ON am.oid = i.relam
     WHERE t.relnamespace = current_schema()::regnamespace
     ORDER BY t.relname, i.relname`,
  );
  for (const row of indexes.rows) {
    if (IGNORED_TABLES.has(row.table_name)) continue;
    if (row.primary) table(row.table_name).primaryKey = { name: row.name, columns: row.columns };
    else table(row.table_name).indexes.push({ name: row.name, unique: row.unique, method: row.method, columns: row.columns } satisfies IndexShape);
  }

  const foreignKeys = await client.query<{
    table_name: string;
    name: string;
    columns: string[];
    referenced_table: string;
    referenced_columns: string[];
    on_delete: string;
    on_update: string;
  }>(
    `SELECT t.relname AS table_name, con.conname AS name, r.relname AS referenced_table,
            ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, position)
                  JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.position)::text[] AS columns,
            ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, position)
                  JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.position)::text[] AS referenced_columns,
            con.confdeltype AS on_delete, con.confupdtype AS on_update
     FROM pg_constraint con
     JOIN pg_class t ON t.oid = con.conrelid
     JOIN pg_class r ON r.oid = con.confrelid
     WHERE con.contype = 'f' AND t.relnamespace = current_schema()::regnamespace
     ORDER BY t.relname, con.conname`,
  );
  for (const row of foreignKeys.rows) {
    table(row.table_name).foreignKeys.push({
      name: row.name,
      columns: row.columns,
      referencedTable: row.referenced_table,
      referencedColumns: row.referenced_columns,
      onDelete: ACTION_CODES[row.on_delete] ?? row.on_delete,
      onUpdate: ACTION_CODES[row.on_update] ?? row.on_update,
    } satisfies ForeignKeyShape);
  }
  return shape;
}

// Spells defaults the way schema-shape.ts does: a sequence is Prisma's
// autoincrement(), CURRENT_TIMESTAMP is now(), literals lose their cast.
function normalizeDefault(expression: string | null): string | null {
  if (expression === null) return null;
  if (/^nextval\('.*'::regclass\)$/.test(expression)) return "autoincrement";
  if (expression === "CURRENT_TIMESTAMP" || expression === "now()") return "now";
  const literal = expression.match(/^'((?:[^']|'')*)'::[\w". ]+(?:\[\])?$/);
  if (literal?.[1] !== undefined) return literal[1].replaceAll("''", "'");
  return expression;
}
