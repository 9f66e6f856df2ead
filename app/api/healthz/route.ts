// Liveness: the process answers. Nothing else is checked here on purpose.
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ status: "ok" });
}
