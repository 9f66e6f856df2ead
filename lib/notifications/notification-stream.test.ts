// Integration: the bell's stream, through the real /api/v1/stream handler,
// sessions and PostgreSQL's LISTEN/NOTIFY. A notification for A reaches A's
// stream as a `change` on A's own topic and never B's; nobody can ask for
// another person's notifications by id.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import { getConfig } from "@/lib/config";
import { createSession } from "@/lib/auth/session";
import { callRoute } from "@/lib/api/route-harness";
import { notifyUser } from "@/lib/notifications/notify";
import { GET as stream } from "@/app/api/v1/stream/route";

interface Person {
  id: string;
  token: string;
}

async function person(name: string): Promise<Person> {
  const suffix = randomBytes(3).toString("hex");
  const user = await getPrisma().user.create({
    data: {
      entraObjectId: randomBytes(8).toString("hex"),
      tenantId: "t",
      name: `${name} ${suffix}`,
      email: `${name}-${suffix}@example.com`,
      groupIds: [],
      appRoles: [],
      lastSignInAt: new Date(),
    },
  });
  return { id: user.id, token: (await createSession(user.id, getConfig().session)).token };
}

/** Reads a server-sent event stream and returns its events, as `{ event, data }`, in order. */
function eventsOf(response: Response) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: { event: string; data: unknown }[] = [];
  let buffer = "";
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data) events.push({ event, data: JSON.parse(data) });
      }
    }
  })();
  return { events, stop: () => reader.cancel() };
}

const openBell = (who: Person) => callRoute(stream, { method: "GET", url: "/api/v1/stream?topic=notifications:me", sessionToken: who.token });

let a: Person;
let b: Person;

beforeAll(async () => {
  a = await person("Ada");
  b = await person("Ben");
});

describe("the bell's stream", () => {
  it("carries a notification for A to A's stream, and not to B's", async () => {
    const aResponse = await openBell(a);
    const bResponse = await openBell(b);
    expect(aResponse.status).toBe(200);
    expect(bResponse.status).toBe(200);
    const aStream = eventsOf(aResponse);
    const bStream = eventsOf(bResponse);
    const ready = [{ event: "ready", data: {} }];
    try {
      // Both subscribed (the stream says so): a notice from now on cannot be missed.
      await expect.poll(() => aStream.events, { timeout: 10_000 }).toEqual(ready);
      await expect.poll(() => bStream.events, { timeout: 10_000 }).toEqual(ready);
      await getPrisma().$transaction((tx) => notifyUser(tx, a.id, { message: "Payments approved your request.", link: "/namespaces" }));
      await expect.poll(() => aStream.events, { timeout: 10_000 }).toEqual([...ready, { event: "change", data: { kind: "notification", id: a.id } }]);
      // Then one for B: notices arrive in commit order on the one LISTEN connection, so B's first event being B's own
      // says A's never reached B's stream (and that B's stream was live all along).
      await getPrisma().$transaction((tx) => notifyUser(tx, b.id, { message: "Your deployment is running.", link: "/deployments" }));
      await expect.poll(() => bStream.events, { timeout: 10_000 }).toEqual([...ready, { event: "change", data: { kind: "notification", id: b.id } }]);
      expect(aStream.events).toEqual([...ready, { event: "change", data: { kind: "notification", id: a.id } }]);
    } finally {
      await aStream.stop();
      await bStream.stop();
    }
  });

  it("refuses a topic naming someone's notifications by id", async () => {
    for (const topic of [`notification:${a.id}`, `notifications:${a.id}`]) {
      const response = await callRoute(stream, { method: "GET", url: `/api/v1/stream?topic=${topic}`, sessionToken: b.token });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { message: string } }).error.message).toContain("?topic=deployment:<id>");
    }
  });
});
