// The background state write (clusters of 5,000 objects or more): pieces
// encoded into one reused buffer, in place of a string per piece.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadSnapshot, persistStore } from "./persistence";
import { findResource, type ResourceType } from "./resources";
import { ClusterStore } from "./store";

const serviceAccounts = findResource("", "v1", "serviceaccounts") as ResourceType;

describe("persistStore, large clusters", () => {
  it("writes 6,000 objects in the background, byte for byte what the store holds (multi-byte text and a piece larger than the buffer included)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wharf-persist-"));
    const file = join(dir, "state.json");
    try {
      const store = new ClusterStore("test");
      const persisted = persistStore(store, file, 10);
      expect(existsSync(file)).toBe(true);
      const large = "x".repeat(1_100_000);
      for (let n = 0; n < 6000; n++) {
        store.write(serviceAccounts, { metadata: { name: `robot-${n}`, namespace: "team", annotations: { note: n === 4321 ? large : `équipe ✓ ${n}` } } });
      }
      for (let waited = 0; loadSnapshot(file)?.revision !== store.currentRevision && waited < 10_000; waited += 20)
        await new Promise((done) => setTimeout(done, 20));
      const written = loadSnapshot(file);
      expect(written?.revision).toBe(6000);
      expect(JSON.stringify(written)).toBe(JSON.stringify(store.snapshot()));
      persisted.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
