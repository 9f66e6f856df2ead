// Stores the benches' seeded fleet map (bench/map-fleet.ts) in a Wharf's database as its worker stores a map, for
// e2e/map-overview.spec.ts: a map big enough to be drawn as the overview, which no sandbox deployment in the end-to-end
// run makes. Run with tsx:
//   node --import tsx e2e/store-fleet-map.ts <database url> <services> <externals>
import { storeFleetMap } from "../bench/map-fleet";

const [databaseUrl, services, externals] = process.argv.slice(2);
if (!databaseUrl || !Number(services) || Number.isNaN(Number(externals))) {
  console.error("usage: store-fleet-map.ts <database url> <services> <externals>");
  process.exit(2);
}
const stored = await storeFleetMap(databaseUrl, Number(services), Number(externals));
console.log(`stored a map of ${stored.nodes} nodes and ${stored.edges} edges`);
