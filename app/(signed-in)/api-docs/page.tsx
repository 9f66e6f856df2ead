import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { requireActor } from "@/lib/auth/current-actor";
import { getConfig } from "@/lib/config";
import { openApiDocument } from "@/lib/api/openapi";

export const metadata: Metadata = { title: "API" };

const methods = ["get", "post", "put", "patch", "delete"] as const;
const methodTone = { get: "info", post: "success", put: "warning", patch: "warning", delete: "danger" } as const;

export default async function ApiDocsPage() {
  await requireActor();
  const document = openApiDocument(getConfig().publicUrl);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-3xl font-bold">API</h1>
        <p className="text-muted-foreground">
          Everything a page can do, for scripts and pipelines. The full OpenAPI 3.1 description, generated from the same schemas the API validates with, is at{" "}
          <a href="/api/v1/openapi.json" className="font-mono text-primary hover:underline">
            /api/v1/openapi.json
          </a>
          . Errors are JSON: <code>{'{"error": {"code", "message", "path"}}'}</code> with status 400, 401, 403, 404, 409 or 413.
        </p>
      </div>
      <Card className="p-0">
        <table className="w-full text-sm">
          <caption className="sr-only">Operations</caption>
          <thead className="bg-muted text-left">
            <tr>
              <th className="px-4 py-2 font-medium">Method</th>
              <th className="px-4 py-2 font-medium">Path</th>
              <th className="px-4 py-2 font-medium">What it does</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(document.paths).flatMap(([path, item]) =>
              methods.flatMap((method) => {
                const operation = (item as Record<string, { summary?: string } | undefined>)[method];
                if (!operation) return [];
                return [
                  <tr key={`${method} ${path}`} className="border-t border-border">
                    <td className="px-4 py-2">
                      <Badge tone={methodTone[method]}>{method.toUpperCase()}</Badge>
                    </td>
                    <td className="px-4 py-2 font-mono">{path}</td>
                    <td className="px-4 py-2">{operation.summary}</td>
                  </tr>,
                ];
              }),
            )}
          </tbody>
        </table>
      </Card>
    </div>
  );
}
