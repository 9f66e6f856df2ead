import { describe, expect, it } from "vitest";
import { namespaceActions, type NamespaceRights, type NamespaceState } from "@/lib/namespaces/namespace-actions";
import { namespaceStatuses } from "@/lib/namespaces/namespace-view";

const member: NamespaceRights = { member: true, admin: false };
const admin: NamespaceRights = { member: false, admin: true };
const viewer: NamespaceRights = { member: false, admin: false };
const at = "2026-12-05T06:00:00.000Z";
const state = (status: NamespaceState["status"], extra: Partial<NamespaceState> = {}): NamespaceState => ({ status, gaveUpAt: null, drift: [], ...extra });

describe("namespaceActions", () => {
  it("offers retry of a failed provisioning to the team and admins, not to others", () => {
    expect(namespaceActions(state("failed", { gaveUpAt: at }), member)).toMatchObject({ retry: true, reapply: false, whyNot: null });
    expect(namespaceActions(state("failed", { gaveUpAt: at }), admin)).toMatchObject({ retry: true, reapply: false });
    expect(namespaceActions(state("failed", { gaveUpAt: at }), viewer)).toMatchObject({ retry: false, whyNot: expect.stringContaining("owning team") });
  });

  it("offers retry of a decommission only once the worker gave up, whatever its message says", () => {
    expect(namespaceActions(state("decommissioning", { gaveUpAt: at }), member).retry).toBe(true);
    const working = namespaceActions(state("decommissioning"), member);
    expect(working).toMatchObject({ retry: false, whyNot: expect.stringContaining("being decommissioned") });
  });

  it("offers re-apply of a drifted ready namespace to admins only", () => {
    const drifted = state("ready", { drift: ["LimitRange wharf-limits is missing from the cluster."] });
    expect(namespaceActions(drifted, admin)).toMatchObject({ retry: false, reapply: true });
    expect(namespaceActions(drifted, member)).toMatchObject({
      reapply: false,
      whyNot: "Only a platform admin can re-apply a ready namespace. Ask a platform admin (the Teams page lists them: /teams#platform-admins) to re-apply it.",
    });
    expect(namespaceActions(state("ready"), admin)).toMatchObject({ reapply: false, whyNot: expect.stringContaining("nothing to re-apply") });
  });

  it("offers nothing while work is in flight or after decommissioning, for anyone", () => {
    const everyone: NamespaceRights = { member: true, admin: true };
    for (const status of ["provisioning", "decommissioning", "decommissioned"] as const) {
      const actions = namespaceActions(state(status, { drift: ["x"] }), everyone);
      expect(actions, status).toMatchObject({ retry: false, reapply: false });
      expect(actions.whyNot, status).toBeTruthy();
    }
  });

  it("has a reason for every status where nothing is offered", () => {
    for (const status of namespaceStatuses) {
      const actions = namespaceActions(state(status), viewer);
      expect(actions.retry || actions.reapply || actions.whyNot !== null, status).toBe(true);
    }
  });
});
