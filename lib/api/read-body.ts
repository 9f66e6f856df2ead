import type { NextRequest } from "next/server";
import { AppError } from "@/lib/errors";

/**
 * The request body as bytes, refusing more than `limit` (413) from its
 * declared length before reading anything, or as soon as it has read more.
 */
export async function readBody(request: NextRequest, limit: number, advice = "split the file and send it in parts"): Promise<Uint8Array> {
  const size = limit >= 1024 * 1024 ? `${Math.round(limit / 1024 / 1024)} MB` : `${Math.round(limit / 1024)} KB`;
  const tooLarge = () => new AppError("payload_too_large", `The body is larger than ${size}; ${advice}.`);
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (declared > limit) throw tooLarge();
  if (!request.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let read = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    read += value.byteLength;
    if (read > limit) {
      // Nothing more is read (the body is pulled, so the client is held back
      // by TCP). Cancelling at once would close the connection before the 413
      // is written, and the client would see a reset instead of the answer;
      // a moment later the connection goes, with whatever is left unsent.
      reader.releaseLock();
      setTimeout(() => void request.body?.cancel().catch(() => undefined), 2_000).unref();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
