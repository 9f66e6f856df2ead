// Integration: the live stream route holds at most so many streams per person, through the real handler.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import { getConfig } from "@/lib/config";
import { createSession } from "@/lib/auth/session";
import { callRoute } from "@/lib/api/route-harness";
import { maxStreamsPerIdentity, streamSlotsHeld, takeStreamSlot } from "@/lib/changes/stream-slots";
import { GET as stream } from "@/app/api/v1/stream/route";

let token: string;
let identity: string;

beforeAll(async () => {
  const suffix = randomBytes(3).toString("hex");
  const user = await getPrisma().user.create({
    data: {
      entraObjectId: randomBytes(8).toString("hex"),
      tenantId: "t",
      name: `Streams ${suffix}`,
      email: `streams-${suffix}@example.com`,
      groupIds: [],
      appRoles: [],
      lastSignInAt: new Date(),
    },
  });
  token = (await createSession(user.id, getConfig().session)).token;
  identity = `user:${user.id}`;
});

describe("stream slots", () => {
  it("gives a slot back once, however often released", () => {
    const key = `test:${randomBytes(4).toString("hex")}`;
    const first = takeStreamSlot(key, 2);
    takeStreamSlot(key, 2);
    expect(() => takeStreamSlot(key, 2)).toThrow(/2 live streams open/);
    first();
    first();
    expect(streamSlotsHeld(key)).toBe(1);
    takeStreamSlot(key, 2);
    expect(streamSlotsHeld(key)).toBe(2);
  });

  it("refuses one stream past the bound with 429, and a closed stream frees its slot", async () => {
    const open = () => callRoute(stream, { method: "GET", url: "/api/v1/stream?topic=notifications:me", sessionToken: token });
    const streams: Response[] = [];
    for (let i = 0; i < maxStreamsPerIdentity; i++) {
      const response = await open();
      expect(response.status).toBe(200);
      streams.push(response);
    }
    expect(streamSlotsHeld(identity)).toBe(maxStreamsPerIdentity);
    const refused = await open();
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("30");
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain("Close some Wharf tabs");

    await streams.pop()!.body!.cancel();
    expect(streamSlotsHeld(identity)).toBe(maxStreamsPerIdentity - 1);
    const again = await open();
    expect(again.status).toBe(200);
    for (const response of [...streams, again]) await response.body!.cancel();
    expect(streamSlotsHeld(identity)).toBe(0);
  });
});
