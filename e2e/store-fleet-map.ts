// Stores the benches' seeded fleet map (bench/map-fleet.ts) in a Wharf's database as its worker stores a map (laid
// out group by group, the 1-hour fleet-wide snapshot with its team slices), for e2e/map-overview.spec.ts: a map big
// enough to be drawn as the overview, which no sandbox deployment in the end-to-end run makes. Run with tsx:
//   node --import tsx e2e/store-fleet-map.ts <database url> <services> <externals>
import { fleet } from "../bench/map-fleet";
import { layoutMap } from "../lib/appmap/layout-map";
import { stopLayoutThread } from "../lib/appmap/layout-thread-client";

const [databaseUrl, services, externals] = process.argv.slice(2);
if (!databaseUrl || !Number(services) || Number.isNaN(Number(externals))) {
  console.error("usage: store-fleet-map.ts <database url> <services> <externals>");
  process.exit(2);
}
process.env.DATABASE_URL = databaseUrl;
const map = fleet(Number(services), Number(externals));
const layout = await layoutMap(map, null);
await stopLayoutThread();
const { storeMapSnapshot } = await import("../lib/appmap/store-map-snapshot");
const { getPrisma } = await import("../lib/db/client");
const now = new Date();
const sources = [{ workspace: "log-e2e", fetchedAt: now.toISOString(), error: null }];
await storeMapSnapshot({ map: { window: "1h", environment: null, ...map, notSeen: [], sources }, scope: "", layout, now });
await getPrisma().$disconnect();
console.log(`stored a map of ${map.nodes.length} nodes and ${map.edges.length} edges`);
