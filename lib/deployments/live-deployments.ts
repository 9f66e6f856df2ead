// Live deployment pages are pushed the deployment itself, not a notice to
// refetch it. Per web process, each watched deployment has one loader: a
// change notice (lib/changes) loads it once from the database, whoever and
// however many watch it, and every watcher gets the same view. Notices that
// arrive while it loads cause exactly one more load afterwards, so the last
// state is never missed and a burst costs at most two queries.
//
// The stream route checks `deployment:read` before subscribing; what is pushed
// is the part of `GET /api/v1/deployments/{id}` that moves (status, counts,
// pods, events, approval, times), one small query on the deployment's row.
import { EventEmitter } from "node:events";
import { getPrisma } from "@/lib/db/client";
import { logger } from "@/lib/logger";
import { subscribeToChanges } from "@/lib/changes/change-feed";
import { deploymentProgressSelect, toDeploymentProgress, type DeploymentProgress } from "./deployment-view";

type Load = (id: string) => Promise<DeploymentProgress | null>;

interface Watched {
  subscribers: number;
  loading: boolean;
  again: boolean;
  stopFeed: Promise<() => void>;
}

export interface LiveDeploymentHub {
  /** Calls `onView` with the deployment each time it changes, until the returned function is called. */
  subscribe(id: string, onView: (view: DeploymentProgress) => void): Promise<() => void>;
  /** Deployments loaded since the hub started (one per change notice burst, not per watcher). */
  readonly loads: number;
}

export function createLiveDeploymentHub(
  load: Load = loadLiveDeployment,
  feed: (topics: string[], onChange: () => void) => Promise<() => void> = subscribeToChanges,
): LiveDeploymentHub {
  const views = new EventEmitter();
  views.setMaxListeners(0);
  const watched = new Map<string, Watched>();
  let loads = 0;

  const refresh = (id: string) => {
    const entry = watched.get(id);
    if (!entry) return;
    if (entry.loading) {
      entry.again = true;
      return;
    }
    entry.loading = true;
    entry.again = false;
    loads += 1;
    void load(id)
      .then((view) => {
        if (view) views.emit(id, view);
      })
      .catch((error: unknown) => logger.warn({ err: error, deploymentId: id }, "live updates: could not load the deployment; pages fall back to polling"))
      .finally(() => {
        entry.loading = false;
        if (entry.again && watched.get(id) === entry) refresh(id);
      });
  };

  return {
    get loads() {
      return loads;
    },
    async subscribe(id, onView) {
      let entry = watched.get(id);
      if (!entry) {
        entry = { subscribers: 0, loading: false, again: false, stopFeed: feed([`deployment:${id}`], () => refresh(id)) };
        watched.set(id, entry);
      }
      const current = entry;
      current.subscribers += 1;
      views.on(id, onView);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        views.off(id, onView);
        current.subscribers -= 1;
        if (current.subscribers === 0 && watched.get(id) === current) {
          watched.delete(id);
          void current.stopFeed.then((stop) => stop()).catch(() => undefined);
        }
      };
      try {
        await current.stopFeed;
      } catch (error) {
        // The next subscriber tries the feed again rather than inheriting this failure.
        if (watched.get(id) === current) watched.delete(id);
        release();
        throw error;
      }
      return release;
    },
  };
}

async function loadLiveDeployment(id: string): Promise<DeploymentProgress | null> {
  const row = await getPrisma().deployment.findUnique({ where: { id }, select: deploymentProgressSelect });
  return row ? toDeploymentProgress(row) : null;
}

const state = globalThis as typeof globalThis & { wharfLiveDeployments?: LiveDeploymentHub };

/** The web process's hub (one per process, surviving Next's module reloads in development). */
export function liveDeployments(): LiveDeploymentHub {
  state.wharfLiveDeployments ??= createLiveDeploymentHub();
  return state.wharfLiveDeployments;
}
