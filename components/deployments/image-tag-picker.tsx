"use client";
// The deploy form's list of the image's tags from Azure Container Registry
// (decision 0059): newest first, each with when it was pushed, its short
// digest and the namespaces that run it now. Picking one fills the version
// field with its digest, so what is previewed and deployed is that exact
// image even if the tag moves; typing a tag by hand stays possible.
import { useQuery } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/relative-time";
import { Cell, DataTable, Row } from "@/components/ui/table";
import { callApi } from "@/lib/api/client-fetch";
import type { ImageTags } from "@/lib/deployments/image-tags";

const shortDigest = (digest: string) => digest.replace(/^sha256:/, "").slice(0, 12);

export function ImageTagPicker({ service, picked, onPick }: { service: string; picked: string; onPick: (tag: { name: string; digest: string }) => void }) {
  const query = useQuery({
    queryKey: ["image-tags", service],
    queryFn: () => callApi<ImageTags>(`/api/v1/services/${encodeURIComponent(service)}/image-tags`),
    retry: false,
    staleTime: 60_000,
  });

  if (query.isPending) return <p className="text-sm text-muted-foreground">Reading the image&apos;s tags from the registry…</p>;
  if (query.isError) {
    return (
      <div role="alert" className="space-y-2 text-sm">
        <p className="text-destructive">{query.error.message}</p>
        <Button type="button" variant="outline" size="sm" onClick={() => void query.refetch()} disabled={query.isFetching}>
          {query.isFetching ? "Reading…" : "Try again"}
        </Button>
      </div>
    );
  }
  const tags = query.data;
  if (!tags.available) return <p className="text-sm text-muted-foreground">{tags.unavailable}</p>;
  if (tags.tags.length === 0) return <p className="text-sm text-muted-foreground">{tags.repository} has no tags yet; push an image first.</p>;
  return (
    <div className="max-h-80 overflow-auto rounded-md border border-border">
      <DataTable caption={`Tags of ${tags.repository}, newest first`} columns={["Tag", "Pushed", "Digest", "Runs now in", "Pick"]}>
        {tags.tags.map((tag) => (
          <Row key={tag.name} className={picked === tag.digest ? "bg-muted" : undefined}>
            <Cell className="font-mono">{tag.name}</Cell>
            <Cell>
              <RelativeTime iso={tag.lastUpdatedOn} />
            </Cell>
            <Cell className="font-mono text-xs" title={tag.digest}>
              {shortDigest(tag.digest)}
            </Cell>
            <Cell className="text-xs">
              {tag.runningIn.length === 0
                ? ""
                : tag.runningIn.map((where) => (
                    <span key={where.namespaceId} className="mr-1 inline-block rounded bg-success-muted px-1.5 py-0.5 text-success-muted-foreground">
                      {where.namespace} ({where.environment})
                    </span>
                  ))}
            </Cell>
            <Cell>
              <Button type="button" variant="outline" size="sm" onClick={() => onPick(tag)} aria-label={`Use ${tag.name}`}>
                {picked === tag.digest ? "Chosen" : "Use"}
              </Button>
            </Cell>
          </Row>
        ))}
      </DataTable>
      {tags.more && <p className="p-2 text-xs text-muted-foreground">Only the newest tags are listed; type an older one by hand.</p>}
    </div>
  );
}
