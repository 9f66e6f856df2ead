import type { Metadata } from "next";
import { DataTable, Row, Cell } from "@/components/ui/table";
import { ScrollCard } from "@/components/ui/scroll-card";
import { Badge } from "@/components/ui/badge";
import { requireActor } from "@/lib/auth/current-actor";
import { getConfig } from "@/lib/config";
import { openApiDocument } from "@/lib/api/openapi";

export const metadata: Metadata = { title: "API" };

const methods = ["get", "post", "put", "patch", "delete"] as const;
const methodTone = { get: "info", post: "success", put: "warning", patch: "warning", delete: "destructive" } as const;

export default async function ApiDocsPage() {
  await requireActor();
  const document = openApiDocument(getConfig().publicUrl);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-3xl font-bold">API</h1>
        <p className="text-muted-foreground">
          Everything a page can do, for scripts and pipelines. The full OpenAPI 3.1 description, generated from the same schemas the API validates with,
          {" is at "}
          <a href="/api/v1/openapi.json" className="font-mono text-primary underline underline-offset-2">
            /api/v1/openapi.json
          </a>
          . Errors are JSON: <code>{'{"error": {"code", "message", "path"}}'}</code> with status 400, 401, 403, 404, 409 or 413.
        </p>
      </div>
      <ScrollCard label="Operations">
        <DataTable caption="Operations" columns={["Method", "Path", "What it does"]}>
          {Object.entries(document.paths).flatMap(([path, item]) =>
            methods.flatMap((method) => {
              const operation = (item as Record<string, { summary?: string } | undefined>)[method];
              if (!operation) return [];
              return [
                <Row key={`${method} ${path}`}>
                  <Cell>
                    <Badge variant={methodTone[method]}>{method.toUpperCase()}</Badge>
                  </Cell>
                  <Cell className="break-all font-mono">{path}</Cell>
                  <Cell>{operation.summary}</Cell>
                </Row>,
              ];
            }),
          )}
        </DataTable>
      </ScrollCard>
    </div>
  );
}
