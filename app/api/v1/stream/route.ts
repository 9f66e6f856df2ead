import { withAuth } from "@/lib/auth/route";
import { can, forbidden } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { subscribeToChanges } from "@/lib/changes/change-feed";
import { sseResponse } from "@/lib/changes/sse-stream";
import { liveDeployments } from "@/lib/deployments/live-deployments";
import { takeStreamSlot } from "@/lib/changes/stream-slots";

// health:fleet is the one notice the health poller sends each cycle (lib/health/health-view.ts);
// notifications:me is the signed-in person's own notifications (the bell), never anyone else's.
// approvals:inbox says only that some approvals inbox changed; each refetches its own items (GET /api/v1/approvals).
const topicPattern = /^((deployment|namespace|namespace-request):[0-9a-f-]{36}|health:fleet|notifications:me|approvals:inbox)$/;

/**
 * A stream is closed after this long; EventSource reconnects within seconds,
 * which checks the session again, so a signed-out user stops receiving data.
 */
const streamLifetimeMs = 10 * 60_000;

/**
 * Server-sent events: `?topic=deployment:<id>` (repeatable, at most 20).
 * For a deployment, a `view` event carries what moved (status, counts, pods,
 * events, approval, times; the fields of GET /api/v1/deployments/{id} that
 * change) each time it changes. For other
 * topics a `change` event says only what changed and the page fetches it
 * through the API. A `ready` event follows once every topic is subscribed:
 * nothing that changes after it is missed, so a page fetches (or refetches
 * what it fetched earlier) then, not before. A comment every 20 s keeps
 * proxies from closing an idle stream.
 */
export const GET = withAuth(async (request, { actor }) => {
  const topics = request.nextUrl.searchParams.getAll("topic");
  if (topics.length === 0 || topics.length > 20 || !topics.every((topic) => topicPattern.test(topic))) {
    throw new AppError("invalid_input", "Give 1 to 20 topics such as ?topic=deployment:<id>&topic=namespace:<id>.", { path: ["topic"] });
  }
  const deploymentIds = topics.filter((topic) => topic.startsWith("deployment:")).map((topic) => topic.slice("deployment:".length));
  if (topics.includes("notifications:me") && actor.kind !== "user")
    throw new AppError("invalid_input", "notifications:me is for a signed-in person; a pipeline has no notifications.", { path: ["topic"] });
  const noticeTopics = topics
    .filter((topic) => !topic.startsWith("deployment:"))
    .map((topic) => (topic === "notifications:me" && actor.kind === "user" ? `notification:${actor.userId}` : topic));
  if (deploymentIds.length > 0 && !can(actor, "deployment:read")) throw forbidden("deployment:read");
  if (noticeTopics.includes("health:fleet") && !can(actor, "health:read")) throw forbidden("health:read");

  const releaseSlot = takeStreamSlot(`user:${actor.userId}`);
  return sseResponse(request, {
    retryMs: 3000,
    lifetimeMs: streamLifetimeMs,
    async start(channel) {
      channel.onClose(releaseSlot);
      if (noticeTopics.length > 0) channel.onClose(await subscribeToChanges(noticeTopics, (change) => channel.send("change", change)));
      for (const id of deploymentIds) {
        channel.onClose(await liveDeployments().subscribe(id, (view) => channel.send("view", { topic: `deployment:${id}`, view })));
      }
      channel.send("ready", {});
    },
  });
});
