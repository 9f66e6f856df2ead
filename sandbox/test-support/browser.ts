// A tiny cookie-keeping HTTP client that walks the sign-in the way a browser
// does: follow redirects, submit forms. Enough for the sandbox's own pages.
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

export interface BrowserResponse {
  status: number;
  location?: string;
  body: string;
  url: string;
}

export class TestBrowser {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly ca: string) {}

  private send(url: string, method: "GET" | "POST", form?: URLSearchParams): Promise<BrowserResponse> {
    const body = form?.toString();
    const headers: Record<string, string> = { accept: "text/html" };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    if (body !== undefined) headers["content-type"] = "application/x-www-form-urlencoded";
    return new Promise((resolve, reject) => {
      const request = url.startsWith("https:") ? httpsRequest : httpRequest;
      const req = request(url, { method, headers, ca: this.ca }, (res) => {
        // Path scoping is ignored: every sandbox cookie goes back to the sandbox, which is all these tests need.
        for (const line of res.headers["set-cookie"] ?? []) {
          const [pair] = line.split(";");
          const eq = pair?.indexOf("=") ?? -1;
          if (!pair || eq < 0) continue;
          const name = pair.slice(0, eq).trim();
          const value = pair.slice(eq + 1).trim();
          if (value === "" || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
          else this.cookies.set(name, value);
        }
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            location: res.headers.location ? new URL(res.headers.location, url).href : undefined,
            body: Buffer.concat(chunks).toString("utf8"),
            url,
          }),
        );
      });
      req.on("error", reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  /** Follows redirects until one leaves the sandbox (the app's callback) or a page renders. */
  async go(url: string, method: "GET" | "POST" = "GET", form?: URLSearchParams): Promise<BrowserResponse> {
    const sandboxOrigin = new URL(url).origin;
    let response = await this.send(url, method, form);
    for (let hops = 0; response.location && hops < 10; hops++) {
      if (new URL(response.location).origin !== sandboxOrigin) return response;
      response = await this.send(response.location, "GET");
    }
    return response;
  }

  /** Submits the form whose action matches, with the given fields, like clicking its button. */
  submit(page: BrowserResponse, actionEndsWith: string, fields: Record<string, string>): Promise<BrowserResponse> {
    const actions = [...page.body.matchAll(/<form method="post" action="([^"]+)"/g)].map((m) => m[1] ?? "");
    const action = actions.find((a) => a.endsWith(actionEndsWith));
    if (!action) throw new Error(`no form posting to *${actionEndsWith} on ${page.url}; forms: ${actions.join(", ")}`);
    return this.go(
      new URL(
        action.replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c))),
        page.url,
      ).href,
      "POST",
      new URLSearchParams(fields),
    );
  }
}
