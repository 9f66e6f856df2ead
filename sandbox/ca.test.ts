import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSecureContext } from "node:tls";
import { afterAll, describe, expect, it } from "vitest";
import { ensureSandboxTls } from "./ca";

const stateDir = mkdtempSync(join(tmpdir(), "wharf-ca-"));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

describe("the sandbox CA", () => {
  // One serial in sixteen used to start with a 0x00 byte before one under 0x80, a DER integer OpenSSL
  // refuses ("illegal padding"): a test server failed to start about once a CI run. 64 issues would have hit it
  // with a chance of 98 %.
  // 64 RSA key pairs in pure JavaScript: about 10 s alone, and a CI run on a loaded machine passed 30 s. The check is
  // that every one loads, not how fast.
  it("issues certificates and keys that OpenSSL loads, every time", { timeout: 180_000 }, () => {
    for (let i = 0; i < 64; i++) {
      const tls = ensureSandboxTls(stateDir);
      expect(() => createSecureContext({ cert: tls.serverCertPem, key: tls.serverKeyPem, ca: tls.caCertPem })).not.toThrow();
    }
  });
});
