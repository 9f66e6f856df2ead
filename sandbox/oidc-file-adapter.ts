// oidc-provider's storage, kept in a JSON file under the sandbox's state
// folder instead of its development-only in-memory LRU. Tokens, grants and
// sessions then survive a sandbox restart (as a real tenant's do), and a busy
// test run cannot push a live token out of a bounded cache. Writes are
// batched (at most every 200 ms) and atomic (temp file, then rename).
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Adapter, AdapterPayload } from "oidc-provider";

interface Entry {
  payload: AdapterPayload;
  /** Epoch ms; absent for entries that do not expire. */
  expiresAt?: number;
}

export interface FileAdapterStore {
  /** The class oidc-provider instantiates once per model name. */
  Adapter: new (name: string) => Adapter;
  /** Writes pending changes now (on close). */
  flush(): void;
}

export function createFileAdapterStore(stateDir: string, now: () => number = Date.now): FileAdapterStore {
  const file = join(stateDir, "identity-store.json");
  const entries = new Map<string, Entry>();
  if (existsSync(file)) {
    try {
      for (const [key, entry] of Object.entries(JSON.parse(readFileSync(file, "utf8")) as Record<string, Entry>)) {
        if (!entry.expiresAt || entry.expiresAt > now()) entries.set(key, entry);
      }
    } catch {
      // A torn or hand-edited file: start empty, as after `--reset`; people sign in again.
    }
  }
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const live: Record<string, Entry> = {};
    for (const [key, entry] of entries) if (!entry.expiresAt || entry.expiresAt > now()) live[key] = entry;
    writeFileSync(`${file}.tmp`, JSON.stringify(live), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  };
  const scheduleSave = () => {
    timer ??= setTimeout(flush, 200);
    timer.unref();
  };
  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry?.expiresAt && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };

  class FileAdapter implements Adapter {
    constructor(private readonly name: string) {}

    private key(id: string): string {
      return `${this.name}:${id}`;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      entries.set(this.key(id), { payload, expiresAt: expiresIn ? now() + expiresIn * 1000 : undefined });
      scheduleSave();
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      return live(this.key(id))?.payload;
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      for (const [key, entry] of entries) if (key.startsWith(`${this.name}:`) && entry.payload.uid === uid) return live(key)?.payload;
      return undefined;
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      for (const [key, entry] of entries) if (key.startsWith(`${this.name}:`) && entry.payload.userCode === userCode) return live(key)?.payload;
      return undefined;
    }

    async consume(id: string): Promise<void> {
      const entry = live(this.key(id));
      if (entry) {
        entry.payload.consumed = Math.floor(now() / 1000);
        scheduleSave();
      }
    }

    async destroy(id: string): Promise<void> {
      entries.delete(this.key(id));
      scheduleSave();
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      for (const [key, entry] of entries) if (entry.payload.grantId === grantId) entries.delete(key);
      scheduleSave();
    }
  }

  return { Adapter: FileAdapter, flush };
}
