import { describe, expect, it } from "vitest";
import { createActorCache } from "./actor-cache";
import type { UserActor } from "./permissions";

const actor = (name: string): UserActor => ({
  kind: "user",
  userId: name,
  name,
  email: `${name}@example.com`,
  isAdmin: false,
  teams: [{ id: "t1", slug: "payments", name: "Payments" }],
});

describe("the session actor cache", () => {
  it("remembers for its lifetime, never past the session's own end", () => {
    const cache = createActorCache({ ttlMs: 5_000 });
    cache.remember("a", actor("ann"), 1_000_000, 0);
    expect(cache.get("a", 4_999)?.name).toBe("ann");
    expect(cache.get("a", 5_000)).toBeUndefined();
    cache.remember("b", actor("bo"), 2_000, 0);
    expect(cache.get("b", 1_999)?.name).toBe("bo");
    expect(cache.get("b", 2_000)).toBeUndefined();
    cache.remember("c", actor("cy"), 100, 100);
    expect(cache.get("c", 100)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("forgets a session on request", () => {
    const cache = createActorCache();
    cache.remember("a", actor("ann"), Infinity, 0);
    cache.forget("a");
    expect(cache.get("a", 1)).toBeUndefined();
  });

  it("holds at most maxEntries, dropping the oldest first", () => {
    const cache = createActorCache({ maxEntries: 2 });
    cache.remember("a", actor("ann"), Infinity, 0);
    cache.remember("b", actor("bo"), Infinity, 0);
    cache.remember("c", actor("cy"), Infinity, 0);
    expect(cache.size).toBe(2);
    expect(cache.get("a", 1)).toBeUndefined();
    expect(cache.get("c", 1)?.name).toBe("cy");
  });

  it("shares a copy nobody can change", () => {
    const cache = createActorCache();
    const original = actor("ann");
    cache.remember("a", original, Infinity, 0);
    original.teams.push({ id: "t2", slug: "orders", name: "Orders" });
    const shared = cache.get("a", 1)!;
    expect(shared.teams).toHaveLength(1);
    expect(() => shared.teams.push({ id: "t3", slug: "x", name: "X" })).toThrow(TypeError);
    expect(() => {
      (shared as { isAdmin: boolean }).isAdmin = true;
    }).toThrow(TypeError);
  });
});
