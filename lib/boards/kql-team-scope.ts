// A team board's KQL tile reads only its team's telemetry (decision 0067).
// Two parts, both on Microsoft's parser's syntax tree:
// - on save, the query is checked against the App Insights tables below
//   (kql-thread.mjs, `team` check): every name must resolve to one of them, a
//   column of theirs or the query's own let; the constructs that read tables
//   by name at run time (union *, search, find, workspace(), app(), resource(),
//   cluster(), database(), table(), externaldata, evaluate, macro-expand, a
//   workspace's stored function, set/restrict statements) are refused;
// - when the poller runs it, each App table the query reads is shadowed by a
//   view of the team's App Insights role names, and a `restrict access to`
//   statement (Kusto's row-level security for middle tiers) leaves the query
//   only those views.
// The columns are those of Azure Monitor's table reference, the same list the
// sandbox serves (kql-query.test.ts checks they agree).
import { kqlStringList } from "@/lib/health/queries";

const common =
  "TenantId:string, TimeGenerated:datetime, Properties:dynamic, Measurements:dynamic, OperationName:string, OperationId:string, " +
  "ParentId:string, SyntheticSource:string, SessionId:string, UserId:string, UserAuthenticatedId:string, UserAccountId:string, " +
  "AppVersion:string, AppRoleName:string, AppRoleInstance:string, ClientType:string, ClientModel:string, ClientOS:string, " +
  "ClientIP:string, ClientCity:string, ClientStateOrProvince:string, ClientCountryOrRegion:string, ClientBrowser:string, " +
  "ResourceGUID:string, IKey:string, SDKVersion:string, ItemCount:int, ReferencedItemId:string, ReferencedType:string, " +
  "SourceSystem:string, Type:string, _ResourceId:string, _BilledSize:real, _IsBillable:string";

/** The tables a team's tile may read, each with its columns as Kusto.Language's TableSymbol schema text. */
export const teamKqlTables: Readonly<Record<string, string>> = {
  AppRequests: `(${common}, Id:string, Source:string, Name:string, Url:string, Success:bool, ResultCode:string, DurationMs:real, PerformanceBucket:string)`,
  AppDependencies:
    `(${common}, Id:string, Target:string, DependencyType:string, Name:string, Data:string, Success:bool, ResultCode:string, ` +
    "DurationMs:real, PerformanceBucket:string)",
  AppAvailabilityResults:
    `(${common}, Id:string, Name:string, Location:string, Success:bool, Message:string, Size:real, DurationMs:real, ` + "PerformanceBucket:string)",
  AppExceptions:
    `(${common}, ProblemId:string, HandledAt:string, ExceptionType:string, Assembly:string, Method:string, OuterType:string, ` +
    "OuterMessage:string, OuterAssembly:string, OuterMethod:string, InnermostType:string, InnermostMessage:string, " +
    "InnermostAssembly:string, InnermostMethod:string, SeverityLevel:int, Details:dynamic, Message:string)",
};

/**
 * What the poller puts before a team tile's query: for each App table the query reads, a view of the same name over the
 * team's roles only (inside the view the name is still the table: a let is not visible in its own body), then
 * `restrict access to` those views, after which the query sees no other table, view or function of the workspace.
 * `tables` empty (a query that reads no table, `print 1`): nothing is put before it.
 */
export function teamScopePrefix(tables: readonly string[], roles: readonly string[]): string {
  if (tables.length === 0) return "";
  for (const table of tables) if (!(table in teamKqlTables)) throw new Error(`"${table}" is not a table a team's KQL tile may read`);
  const roleList = kqlStringList([...new Set(roles)].sort());
  const views = tables.map((table) => `let ${table} = view () { ${table} | where AppRoleName in (${roleList}) };`);
  return `${views.join("\n")}\nrestrict access to (${tables.join(", ")});\n`;
}
