"use client";
// Keeps a live view current through SSE on /api/v1/stream, and reports
// whether the stream is up, so the view can poll slowly while it is and
// sooner while it is not. A `view` event carries the subject itself and is
// merged into the query's data at once; a `change` event only says the
// subject changed, and the query it concerns is refetched (a burst folded
// into one refetch per interval). The stream is up once its `ready` event
// says every topic is subscribed: then whatever was fetched before it (a
// server-rendered page, a fetch at mount, anything while the stream was
// down) is refetched once, since a change in between had no stream to come
// by. A view that can wait fetches only once the stream is up (the bell).
//
// EventSource reconnects by itself after a dropped connection (the server's
// `retry:` hint, and each stream's end after its lifetime), but gives up for
// good when an answer is not a stream (a 429 past the per-person bound, a 503
// while the web process is overloaded or its LISTEN connection is down): then
// the stream is opened again after a jittered backoff, so a blink of the
// database or a restart is covered without the view polling quickly.
import { useEffect, useState } from "react";
import { useQueryClient, type QueryKey } from "@tanstack/react-query";
import { coalesce, refetchIntervalMs, type Coalesced } from "@/lib/changes/coalesce";
import { mergeNewer } from "@/lib/changes/merge-newer";
import { backoffWithJitter } from "@/lib/net/backoff";
import type { Change } from "@/lib/changes/publish-change";

/**
 * Queries the shell's own stream refreshes (the bell, the approvals count and inbox): one stream per tab
 * for all of them, opened by the notifications menu, rather than one per component.
 */
export const shellQueryKey = ["shell"] as const;

/** Reopening a stream the browser gave up on: 1-2 s after the first failure, doubling to 30-60 s. */
export const streamReopenBackoff = { initial: 2_000, max: 60_000 };

/**
 * `queryKey` is what a reconnect refetches (everything the stream keeps current); `keyOf` picks the query one
 * `change` notice concerns (by default `queryKey`), so a notice about one subject does not refetch the others; give a
 * function defined once (module level), since a new one reopens the stream.
 */
export function useChangeFeed(topics: string[], queryKey: QueryKey, keyOf?: (change: Change) => QueryKey): boolean {
  const client = useQueryClient();
  const [connected, setConnected] = useState(false);
  const topicsKey = topics.join("&");
  const keyText = JSON.stringify(queryKey);
  useEffect(() => {
    if (typeof EventSource === "undefined" || !topicsKey) return;
    const key = JSON.parse(keyText) as QueryKey;
    const url = `/api/v1/stream?${topicsKey
      .split("&")
      .map((topic) => `topic=${encodeURIComponent(topic)}`)
      .join("&")}`;
    let source: EventSource | undefined;
    let reopenTimer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let wasDown = false;
    let ended = false;
    const refetches = new Map<string, Coalesced>();
    const refetch = (target: QueryKey) => {
      const text = JSON.stringify(target);
      let run = refetches.get(text);
      if (!run) refetches.set(text, (run = coalesce(() => void client.invalidateQueries({ queryKey: target }), refetchIntervalMs)));
      run();
    };
    const onChange = (event: Event) => {
      let change: Change | undefined;
      try {
        change = JSON.parse((event as MessageEvent<string>).data) as Change;
      } catch {
        change = undefined;
      }
      refetch(change && keyOf ? keyOf(change) : key);
    };
    const onView = (event: Event) => {
      const { view } = JSON.parse((event as MessageEvent<string>).data) as { view: object };
      client.setQueryData(key, (old: object | undefined) => (old ? mergeNewer(old, view) : old));
    };
    const open = () => {
      reopenTimer = undefined;
      const current = new EventSource(url);
      source = current;
      current.addEventListener("ready", () => {
        failures = 0;
        setConnected(true);
        if (wasDown || client.getQueriesData({ queryKey: key }).some(([, data]) => data !== undefined)) refetch(key);
        wasDown = false;
      });
      current.onerror = () => {
        wasDown = true;
        setConnected(false);
        if (current.readyState !== EventSource.CLOSED || ended) return;
        // The browser will not try again by itself: reopen after a backoff.
        failures += 1;
        reopenTimer = setTimeout(open, backoffWithJitter(failures, streamReopenBackoff));
      };
      current.addEventListener("change", onChange);
      current.addEventListener("view", onView);
    };
    open();
    return () => {
      ended = true;
      if (reopenTimer) clearTimeout(reopenTimer);
      for (const run of refetches.values()) run.cancel();
      source?.close();
      setConnected(false);
    };
  }, [client, topicsKey, keyText, keyOf]);
  return connected;
}
