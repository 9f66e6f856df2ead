import { withAuth } from "@/lib/auth/route";
import { AppError } from "@/lib/errors";
import { subscribeToChanges } from "@/lib/changes/change-feed";

const topicPattern = /^(deployment|namespace|namespace-request):[0-9a-f-]{36}$/;

/**
 * Server-sent events: `?topic=deployment:<id>` (repeatable, at most 20). Each
 * event says only what changed; the page fetches it through the API, which
 * checks permissions as always. A comment every 20 s keeps proxies from
 * closing an idle stream.
 */
export const GET = withAuth(async (request) => {
  const topics = request.nextUrl.searchParams.getAll("topic");
  if (topics.length === 0 || topics.length > 20 || !topics.every((topic) => topicPattern.test(topic))) {
    throw new AppError("invalid_input", "Give 1 to 20 topics such as ?topic=deployment:<id>&topic=namespace:<id>.", { path: ["topic"] });
  }
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      const unsubscribe = await subscribeToChanges(topics, (change) => send(`event: change\ndata: ${JSON.stringify(change)}\n\n`));
      const heartbeat = setInterval(() => send(": keep-alive\n\n"), 20_000);
      cleanup = () => {
        clearInterval(heartbeat);
        unsubscribe();
      };
      request.signal.addEventListener("abort", () => {
        cleanup();
        try {
          controller.close();
        } catch {
          // already closed
        }
      });
      send("retry: 3000\n\n");
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, { headers: { "content-type": "text/event-stream", "cache-control": "no-store", "x-accel-buffering": "no" } });
});
