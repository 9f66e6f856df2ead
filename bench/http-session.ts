// A minimal browser for benchmarks: follows redirects by hand and keeps cookies,
// so a bench can sign in through the sandbox persona picker over plain HTTP.
export class BenchBrowser {
  private readonly jar = new Map<string, string>();

  cookie(name: string): string | undefined {
    return this.jar.get(name);
  }

  header(): string {
    return [...this.jar].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  private remember(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const eq = pair.indexOf("=");
      if (eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === "" || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  async go(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<{ url: string; status: number; body: string }> {
    let target = url;
    let method = init.method ?? "GET";
    let body: string | undefined = init.form ? new URLSearchParams(init.form).toString() : undefined;
    for (let hop = 0; hop < 15; hop++) {
      const headers: Record<string, string> = { cookie: this.header() };
      if (body !== undefined) headers["content-type"] = "application/x-www-form-urlencoded";
      if (method === "POST") headers.origin = new URL(target).origin;
      const response = await fetch(target, { method, headers, body, redirect: "manual" });
      this.remember(response);
      const location = response.headers.get("location");
      if (response.status >= 300 && response.status < 400 && location) {
        target = new URL(location, target).href;
        method = "GET";
        body = undefined;
        continue;
      }
      return { url: target, status: response.status, body: await response.text() };
    }
    throw new Error(`too many redirects from ${url}`);
  }

  /** Signs in to Wharf at baseUrl as a sandbox persona, by submitting the picker form. */
  async signIn(baseUrl: string, persona: string): Promise<void> {
    const picker = await this.go(`${baseUrl}/auth/sign-in?returnTo=/`);
    const action = /<form method="post" action="([^"]+\/login)"/.exec(picker.body)?.[1];
    if (!action) throw new Error(`no persona picker at ${picker.url} (status ${picker.status})`);
    const done = await this.go(
      new URL(
        action.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))),
        picker.url,
      ).href,
      { method: "POST", form: { persona } },
    );
    if (!this.cookie("wharf_session")) throw new Error(`sign-in as ${persona} ended at ${done.url} without a session`);
  }
}
