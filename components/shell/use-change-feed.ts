"use client";
// Keeps a live view current through SSE on /api/v1/stream, and reports
// whether the stream is up, so the view can poll slowly while it is and
// quickly while it is not. A `view` event carries the subject itself and is
// merged into the query's data at once; a `change` event only says the
// subject changed, and the query is refetched (a burst folded into one
// refetch per interval). After the stream was down, one refetch catches up
// on whatever happened meanwhile.
import { useEffect, useState } from "react";
import { useQueryClient, type QueryKey } from "@tanstack/react-query";
import { coalesce, refetchIntervalMs } from "@/lib/changes/coalesce";
import { mergeNewer } from "@/lib/changes/merge-newer";

/**
 * Queries the shell's own stream refreshes (the bell, the approvals count and inbox): one stream per tab
 * for all of them, opened by the notifications menu, rather than one per component.
 */
export const shellQueryKey = ["shell"] as const;

export function useChangeFeed(topics: string[], queryKey: QueryKey): boolean {
  const client = useQueryClient();
  const [connected, setConnected] = useState(false);
  const topicsKey = topics.join("&");
  const keyText = JSON.stringify(queryKey);
  useEffect(() => {
    if (typeof EventSource === "undefined" || !topicsKey) return;
    const key = JSON.parse(keyText) as QueryKey;
    const source = new EventSource(
      `/api/v1/stream?${topicsKey
        .split("&")
        .map((topic) => `topic=${encodeURIComponent(topic)}`)
        .join("&")}`,
    );
    let wasDown = false;
    const refetch = coalesce(() => void client.invalidateQueries({ queryKey: key }), refetchIntervalMs);
    source.onopen = () => {
      setConnected(true);
      if (wasDown) refetch();
    };
    source.onerror = () => {
      wasDown = true;
      setConnected(false);
    };
    source.addEventListener("change", refetch);
    source.addEventListener("view", (event) => {
      const { view } = JSON.parse((event as MessageEvent<string>).data) as { view: object };
      client.setQueryData(key, (old: object | undefined) => (old ? mergeNewer(old, view) : old));
    });
    return () => {
      refetch.cancel();
      source.close();
      setConnected(false);
    };
  }, [client, topicsKey, keyText]);
  return connected;
}
