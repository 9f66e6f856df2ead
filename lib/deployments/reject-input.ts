// The reason a deployment is rejected with: required, for the requester to act on. Pure (forms, API, OpenAPI).
import { z } from "zod";

const reasonMessage = "Say why the deployment is rejected (3 to 500 characters), so the requester knows what to change.";

export const rejectDeploymentInput = z.object({
  reason: z.string({ error: reasonMessage }).trim().min(3, reasonMessage).max(500, "Keep the reason to 500 characters; it is sent to the requester."),
});
