"use client";
// Refetches a live view the moment the server says its subject changed
// (SSE on /api/v1/stream), and reports whether the stream is up, so the
// view can poll slowly while it is and quickly while it is not.
import { useEffect, useState } from "react";
import { useQueryClient, type QueryKey } from "@tanstack/react-query";
import { coalesce, refetchIntervalMs } from "@/lib/changes/coalesce";

export function useChangeFeed(topics: string[], queryKey: QueryKey): boolean {
  const client = useQueryClient();
  const [connected, setConnected] = useState(false);
  const topicsKey = topics.join("&");
  const keyText = JSON.stringify(queryKey);
  useEffect(() => {
    if (typeof EventSource === "undefined" || !topicsKey) return;
    const source = new EventSource(`/api/v1/stream?${topicsKey.split("&").map((topic) => `topic=${encodeURIComponent(topic)}`).join("&")}`);
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    // A rollout sends a burst of notices; one refetch per interval keeps the page current without a refetch each.
    const refetch = coalesce(() => void client.invalidateQueries({ queryKey: JSON.parse(keyText) as QueryKey }), refetchIntervalMs);
    source.addEventListener("change", refetch);
    return () => {
      refetch.cancel();
      source.close();
      setConnected(false);
    };
  }, [client, topicsKey, keyText]);
  return connected;
}
