// The sandbox tenant: fixed ids so seeds, tests and screenshots are stable
// across machines and data dirs. Other code (team seed, e2e sign-in) imports
// these; change an id here and every fixture follows.

export const sandboxTenantId = "5f1e0c4a-8d2b-4e7a-9c1f-3b6d2a0e9f11";

export const sandboxGroupIds = {
  payments: "3c0f5a7e-1b2d-4c3e-8f4a-5b6c7d8e9f01",
  orders: "3c0f5a7e-1b2d-4c3e-8f4a-5b6c7d8e9f02",
  droneDelivery: "3c0f5a7e-1b2d-4c3e-8f4a-5b6c7d8e9f03",
  platformAdmins: "3c0f5a7e-1b2d-4c3e-8f4a-5b6c7d8e9f0a",
  // Checkout is in the directory but no Wharf team uses it yet: admins map it in the demo.
  checkout: "3c0f5a7e-1b2d-4c3e-8f4a-5b6c7d8e9f04",
  inventory: "3c0f5a7e-1b2d-4c3e-8f4a-5b6c7d8e9f05",
  fleetOps: "3c0f5a7e-1b2d-4c3e-8f4a-5b6c7d8e9f06",
} as const;

export const wharfAdminRole = "Wharf.Admin";

export interface SandboxGroup {
  id: string;
  displayName: string;
}

// 249 extra groups push Grace past Entra's 200-group limit. They are derived
// from their index so the ids never change between runs.
const overageFillerGroups: SandboxGroup[] = Array.from({ length: 249 }, (_, i) => ({
  id: `7a1d0000-0000-4000-8000-${(i + 1).toString(16).padStart(12, "0")}`,
  displayName: `Overage group ${String(i + 1).padStart(3, "0")}`,
}));

export const sandboxGroups: readonly SandboxGroup[] = [
  { id: sandboxGroupIds.payments, displayName: "Payments" },
  { id: sandboxGroupIds.orders, displayName: "Orders" },
  { id: sandboxGroupIds.droneDelivery, displayName: "Drone Delivery" },
  { id: sandboxGroupIds.platformAdmins, displayName: "Platform Admins" },
  { id: sandboxGroupIds.checkout, displayName: "Checkout" },
  { id: sandboxGroupIds.inventory, displayName: "Inventory" },
  { id: sandboxGroupIds.fleetOps, displayName: "Fleet Ops" },
  ...overageFillerGroups,
];

export type PersonaKey = "payments" | "orders" | "both" | "drone" | "admin" | "viewer" | "overage";

export interface SandboxPersona {
  key: PersonaKey;
  name: string;
  email: string;
  oid: string;
  groups: readonly string[];
  roles: readonly string[];
  /** What the picker says about this persona, so a tester picks the right one. */
  summary: string;
}

export const sandboxPersonas: readonly SandboxPersona[] = [
  {
    key: "payments",
    name: "Priya Shah",
    email: "priya.shah@contoso.example",
    oid: "a1b2c3d4-0001-4e5f-8a9b-000000000001",
    groups: [sandboxGroupIds.payments],
    roles: [],
    summary: "Member of Payments",
  },
  {
    key: "orders",
    name: "Omar Haddad",
    email: "omar.haddad@contoso.example",
    oid: "a1b2c3d4-0002-4e5f-8a9b-000000000002",
    groups: [sandboxGroupIds.orders],
    roles: [],
    summary: "Member of Orders",
  },
  {
    key: "both",
    name: "Mei Lin",
    email: "mei.lin@contoso.example",
    oid: "a1b2c3d4-0003-4e5f-8a9b-000000000003",
    groups: [sandboxGroupIds.payments, sandboxGroupIds.orders],
    roles: [],
    summary: "Member of Payments and Orders",
  },
  {
    key: "drone",
    name: "Dana Reyes",
    email: "dana.reyes@contoso.example",
    oid: "a1b2c3d4-0007-4e5f-8a9b-000000000007",
    groups: [sandboxGroupIds.droneDelivery],
    roles: [],
    summary: "Member of Drone Delivery",
  },
  {
    key: "admin",
    name: "Alex Morgan",
    email: "alex.morgan@contoso.example",
    oid: "a1b2c3d4-0004-4e5f-8a9b-000000000004",
    groups: [sandboxGroupIds.platformAdmins],
    roles: [wharfAdminRole],
    summary: "Platform admin (app role Wharf.Admin, Platform Admins group)",
  },
  {
    key: "viewer",
    name: "Victor Nguyen",
    email: "victor.nguyen@contoso.example",
    oid: "a1b2c3d4-0005-4e5f-8a9b-000000000005",
    groups: [],
    roles: [],
    summary: "Viewer: no groups, no app roles",
  },
  {
    key: "overage",
    name: "Grace Okafor",
    email: "grace.okafor@contoso.example",
    oid: "a1b2c3d4-0006-4e5f-8a9b-000000000006",
    groups: [sandboxGroupIds.payments, ...overageFillerGroups.map((g) => g.id)],
    roles: [],
    summary: "Member of Payments and 249 other groups (groups overage: resolved through Graph)",
  },
];

export interface SandboxTeam {
  slug: string;
  name: string;
  groupIds: readonly string[];
}

export const sandboxTeams: readonly SandboxTeam[] = [
  { slug: "payments", name: "Payments", groupIds: [sandboxGroupIds.payments] },
  { slug: "orders", name: "Orders", groupIds: [sandboxGroupIds.orders] },
  { slug: "drone-delivery", name: "Drone Delivery", groupIds: [sandboxGroupIds.droneDelivery] },
  { slug: "inventory", name: "Inventory", groupIds: [sandboxGroupIds.inventory] },
  { slug: "fleet-ops", name: "Fleet Ops", groupIds: [sandboxGroupIds.fleetOps] },
];

export function findPersona(key: string): SandboxPersona | undefined {
  return sandboxPersonas.find((p) => p.key === key);
}

export function findPersonaByOid(oid: string): SandboxPersona | undefined {
  return sandboxPersonas.find((p) => p.oid === oid);
}

export function findGroup(id: string): SandboxGroup | undefined {
  return sandboxGroups.find((g) => g.id === id);
}
