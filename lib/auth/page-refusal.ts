// What the 403 page says, by the page that was refused. Next's forbidden() hands
// app/forbidden.tsx nothing, and that component is rendered with every page (it
// is the boundary's fallback, made before the page decides), so it cannot learn
// the refused action from the render: it reads the address and asks this. Pure;
// `page-refusal.test.ts` fails when a page that can refuse has no words here.
import { onlyPlatformAdmins, platformAdminsPage, refusalMessage } from "@/lib/auth/permissions";

export interface PageRefusal {
  /** Only a platform admin may open the page: the 403 page also says how one becomes an admin. */
  adminsOnly: boolean;
  /** Who may open it and what to do: the same words the API's 403 gives for the action behind the page. */
  message: string;
}

/** For a page Wharf does not know to refuse (a page added without words here: the test catches it). */
export const otherPageRefusal: PageRefusal = {
  adminsOnly: false,
  message: `Your role does not give you this page. The Teams page shows your teams and lists the platform admins to ask: ${platformAdminsPage}.`,
};

/** `path`: the refused page's address as the proxy passes it (x-wharf-path), query string included. */
export function pageRefusal(path: string): PageRefusal {
  const pathname = path.split(/[?#]/, 1)[0]!.replace(/\/+$/, "") || "/";
  if (pathname === "/admin" || pathname.startsWith("/admin/")) {
    return { adminsOnly: true, message: onlyPlatformAdmins("open the admin pages", "do what you came here for") };
  }
  if (/^\/catalog\/[^/]+\/edit$/.test(pathname)) return { adminsOnly: false, message: refusalMessage("service:update") };
  if (pathname === "/costs") return { adminsOnly: false, message: refusalMessage("cost:read") };
  return otherPageRefusal;
}
