// Which one-click actions a namespace offers, decided once: the namespace page
// shows the buttons this returns and reapplyNamespace refuses what it does not.
import type { NamespaceStatus } from "@/lib/namespaces/namespace-view";
import { onlyPlatformAdmins } from "@/lib/auth/permissions";

export interface NamespaceRights {
  /** Member of the owning team, or an admin acting for it (namespace:request for the team). */
  member: boolean;
  /** Platform admin (namespace:manage). */
  admin: boolean;
}

export interface NamespaceState {
  status: NamespaceStatus;
  /** Set when the worker gave up on the current status's work. */
  gaveUpAt: string | Date | null;
  drift: readonly string[];
}

export interface NamespaceActions {
  /** Start the work again after the worker gave up: a failed provisioning, or a decommission that stopped on an error. */
  retry: boolean;
  /** Re-apply the approved objects to a ready namespace that drifted from them. */
  reapply: boolean;
}

/** What the actor may do now, and for what is not possible, why (a sentence for a 409 or a tooltip). */
export function namespaceActions(namespace: NamespaceState, rights: NamespaceRights): NamespaceActions & { whyNot: string | null } {
  const stopped = namespace.status === "failed" || (namespace.status === "decommissioning" && namespace.gaveUpAt !== null);
  const drifted = namespace.status === "ready" && namespace.drift.length > 0;
  const retry = stopped && (rights.member || rights.admin);
  const reapply = drifted && rights.admin;
  return { retry, reapply, whyNot: retry || reapply ? null : whyNot(namespace, stopped, drifted) };
}

function whyNot(namespace: NamespaceState, stopped: boolean, drifted: boolean): string {
  if (stopped) return "Only a member of the owning team or an admin can retry it.";
  if (drifted) return onlyPlatformAdmins("re-apply a ready namespace", "re-apply it");
  switch (namespace.status) {
    case "provisioning":
      return "It is being provisioned now; a retry is offered if the worker gives up.";
    case "decommissioning":
      return "It is being decommissioned now; a retry is offered if the worker gives up.";
    case "decommissioned":
      return "It was decommissioned; request a new namespace instead.";
    default:
      return "It is ready and matches what was approved; there is nothing to re-apply.";
  }
}
