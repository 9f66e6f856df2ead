import { describe, expect, it } from "vitest";
import { checkEnvironment, ConfigError, loadConfig, resolveMode } from "@/lib/config";

const azureEnv = {
  AZURE_TENANT_ID: "11111111-2222-4333-8444-555555555555",
  AZURE_CLIENT_ID: "66666666-7777-4888-8999-000000000000",
  AZURE_CLIENT_SECRET: "secret-value",
  AZURE_SUBSCRIPTION_IDS: "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee, bbbbbbbb-bbbb-4ccc-8ddd-eeeeeeeeeeee",
  WHARF_ALLOWED_REGISTRIES: "contoso.azurecr.io,mcr.microsoft.com",
  WHARF_SESSION_SECRET: "x".repeat(48),
  WHARF_PUBLIC_URL: "https://wharf.contoso.com/",
  DATABASE_URL: "postgresql://wharf:pw@db.contoso.com:5432/wharf",
};

function errorOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a configuration error");
}

describe("configuration", () => {
  it("defaults to sandbox mode and switches to azure when a tenant is given", () => {
    expect(resolveMode({})).toBe("sandbox");
    expect(resolveMode({ AZURE_TENANT_ID: "x" })).toBe("azure");
    expect(resolveMode({ WHARF_MODE: "sandbox", AZURE_TENANT_ID: "x" })).toBe("sandbox");
    expect(() => resolveMode({ WHARF_MODE: "prod" })).toThrow('WHARF_MODE must be "sandbox" or "azure"; got "prod".');
  });

  it("reads a complete azure environment", () => {
    const config = loadConfig(azureEnv);
    expect(config.mode).toBe("azure");
    expect(config.identity.authority).toBe("https://login.microsoftonline.com/11111111-2222-4333-8444-555555555555");
    expect(config.identity.protocolMode).toBe("AAD");
    expect(config.azure.subscriptionIds).toHaveLength(2);
    expect(config.azure.allowedRegistries).toEqual(["contoso.azurecr.io", "mcr.microsoft.com"]);
    expect(config.publicUrl).toBe("https://wharf.contoso.com");
    expect(config.keepAliveSeconds).toBe(65);
    expect(loadConfig({ ...azureEnv, WHARF_KEEPALIVE_SECONDS: "620" }).keepAliveSeconds).toBe(620);
    expect(config.admission).toEqual({ maxInFlight: 16, maxQueued: 32, maxQueueWaitMs: 2000 });
    expect(loadConfig({ ...azureEnv, WHARF_MAX_IN_FLIGHT: "8", WHARF_ADMISSION_WAIT_MS: "0" }).admission).toEqual({
      maxInFlight: 8,
      maxQueued: 16,
      maxQueueWaitMs: 0,
    });
  });

  it("names the variable and what it expects in one line", () => {
    const message = errorOf({ ...azureEnv, AZURE_CLIENT_ID: "not-a-guid" });
    expect(message).toBe('Configuration error: AZURE_CLIENT_ID must be a UUID (the Application (client) ID of Wharf\'s app registration); got "not-a-guid".');
    expect(message).not.toContain("\n");
  });

  it("reports missing and malformed values", () => {
    const { WHARF_SESSION_SECRET: _secret, ...noSecret } = azureEnv;
    expect(errorOf(noSecret)).toMatch(/^Configuration error: WHARF_SESSION_SECRET must be .*; it is not set\.$/);
    expect(errorOf({ ...azureEnv, WHARF_SESSION_SECRET: "short" })).toContain("at least 32 random characters");
    expect(errorOf({ ...azureEnv, WHARF_ALLOWED_REGISTRIES: "not a host" })).toContain("WHARF_ALLOWED_REGISTRIES must be registry host names");
    expect(errorOf({ ...azureEnv, AZURE_SUBSCRIPTION_IDS: "" })).toContain("AZURE_SUBSCRIPTION_IDS");
    expect(errorOf({ ...azureEnv, PORT: "eighty" })).toContain("PORT must be a port number");
    expect(errorOf({ ...azureEnv, PORT: "70000" })).toContain("PORT must be a port between 1 and 65535");
    expect(errorOf({ ...azureEnv, WHARF_KEEPALIVE_SECONDS: "1" })).toContain("WHARF_KEEPALIVE_SECONDS must be at least 5 seconds");
    expect(errorOf({ ...azureEnv, WHARF_MAX_IN_FLIGHT: "0" })).toContain("WHARF_MAX_IN_FLIGHT must be at least 1");
    expect(errorOf({ ...azureEnv, WHARF_ADMISSION_WAIT_MS: "60000" })).toContain("WHARF_ADMISSION_WAIT_MS must be at most 10000");
    expect(errorOf({ ...azureEnv, DATABASE_URL: "mysql://x" })).toContain("DATABASE_URL must be a PostgreSQL URL");
  });

  it("needs a client secret or workload identity in azure mode", () => {
    const { AZURE_CLIENT_SECRET: _secret, ...noCredential } = azureEnv;
    expect(errorOf(noCredential)).toContain("AZURE_CLIENT_SECRET or AZURE_FEDERATED_TOKEN_FILE");
    expect(loadConfig({ ...noCredential, AZURE_FEDERATED_TOKEN_FILE: "/var/run/secrets/token" }).identity.federatedTokenFile).toBe("/var/run/secrets/token");
  });

  it("checks the environment before the sandbox exists", () => {
    expect(checkEnvironment({ PORT: "3100" })).toBe("sandbox");
    expect(() => checkEnvironment({ PORT: "-1" })).toThrow(ConfigError);
  });

  it("explains a missing sandbox endpoints file", () => {
    expect(() => loadConfig({ SANDBOX_ENDPOINTS_FILE: "/nonexistent/endpoints.json" })).toThrow(/start the sandbox with npm run sandbox/);
  });
});

describe("empty variables", () => {
  it("treats an empty value as not set", () => {
    expect(checkEnvironment({ DATABASE_URL: "", PORT: "" })).toBe("sandbox");
  });
});
