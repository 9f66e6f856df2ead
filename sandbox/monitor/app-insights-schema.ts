// The workspace-based Application Insights tables, as Log Analytics defines
// them (Azure Monitor Logs table reference: AppRequests, AppDependencies,
// AppAvailabilityResults, AppExceptions). One list serves the sandbox's KQL
// evaluator, its synthetic telemetry, and the test that parses every query
// Wharf sends against the same schema Microsoft's parser sees.

/** Column types as Log Analytics names them in a query response. */
export type KqlColumnType = "bool" | "datetime" | "dynamic" | "int" | "long" | "real" | "string" | "guid" | "decimal" | "timespan";

export interface KqlColumn {
  name: string;
  type: KqlColumnType;
}

/** Columns every App* table carries (standard columns plus the common Application Insights context). */
const common: readonly KqlColumn[] = [
  { name: "TenantId", type: "string" },
  { name: "TimeGenerated", type: "datetime" },
  { name: "Properties", type: "dynamic" },
  { name: "Measurements", type: "dynamic" },
  { name: "OperationName", type: "string" },
  { name: "OperationId", type: "string" },
  { name: "ParentId", type: "string" },
  { name: "SyntheticSource", type: "string" },
  { name: "SessionId", type: "string" },
  { name: "UserId", type: "string" },
  { name: "UserAuthenticatedId", type: "string" },
  { name: "UserAccountId", type: "string" },
  { name: "AppVersion", type: "string" },
  { name: "AppRoleName", type: "string" },
  { name: "AppRoleInstance", type: "string" },
  { name: "ClientType", type: "string" },
  { name: "ClientModel", type: "string" },
  { name: "ClientOS", type: "string" },
  { name: "ClientIP", type: "string" },
  { name: "ClientCity", type: "string" },
  { name: "ClientStateOrProvince", type: "string" },
  { name: "ClientCountryOrRegion", type: "string" },
  { name: "ClientBrowser", type: "string" },
  { name: "ResourceGUID", type: "string" },
  { name: "IKey", type: "string" },
  { name: "SDKVersion", type: "string" },
  { name: "ItemCount", type: "int" },
  { name: "ReferencedItemId", type: "string" },
  { name: "ReferencedType", type: "string" },
  { name: "SourceSystem", type: "string" },
  { name: "Type", type: "string" },
  { name: "_ResourceId", type: "string" },
  { name: "_BilledSize", type: "real" },
  { name: "_IsBillable", type: "string" },
];

export const appInsightsTables: Readonly<Record<AppInsightsTableName, readonly KqlColumn[]>> = {
  AppRequests: [
    ...common,
    { name: "Id", type: "string" },
    { name: "Source", type: "string" },
    { name: "Name", type: "string" },
    { name: "Url", type: "string" },
    { name: "Success", type: "bool" },
    { name: "ResultCode", type: "string" },
    { name: "DurationMs", type: "real" },
    { name: "PerformanceBucket", type: "string" },
  ],
  AppDependencies: [
    ...common,
    { name: "Id", type: "string" },
    { name: "Target", type: "string" },
    { name: "DependencyType", type: "string" },
    { name: "Name", type: "string" },
    { name: "Data", type: "string" },
    { name: "Success", type: "bool" },
    { name: "ResultCode", type: "string" },
    { name: "DurationMs", type: "real" },
    { name: "PerformanceBucket", type: "string" },
  ],
  AppAvailabilityResults: [
    ...common,
    { name: "Id", type: "string" },
    { name: "Name", type: "string" },
    { name: "Location", type: "string" },
    { name: "Success", type: "bool" },
    { name: "Message", type: "string" },
    { name: "Size", type: "real" },
    { name: "DurationMs", type: "real" },
    { name: "PerformanceBucket", type: "string" },
  ],
  AppExceptions: [
    ...common,
    { name: "ProblemId", type: "string" },
    { name: "HandledAt", type: "string" },
    { name: "ExceptionType", type: "string" },
    { name: "Assembly", type: "string" },
    { name: "Method", type: "string" },
    { name: "OuterType", type: "string" },
    { name: "OuterMessage", type: "string" },
    { name: "OuterAssembly", type: "string" },
    { name: "OuterMethod", type: "string" },
    { name: "InnermostType", type: "string" },
    { name: "InnermostMessage", type: "string" },
    { name: "InnermostAssembly", type: "string" },
    { name: "InnermostMethod", type: "string" },
    { name: "SeverityLevel", type: "int" },
    { name: "Details", type: "dynamic" },
    { name: "Message", type: "string" },
  ],
};

export type AppInsightsTableName = "AppRequests" | "AppDependencies" | "AppAvailabilityResults" | "AppExceptions";

export const appInsightsTableNames = Object.keys(appInsightsTables) as AppInsightsTableName[];
