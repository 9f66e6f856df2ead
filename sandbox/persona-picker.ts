// The sandbox's sign-in page: pick who you are instead of typing a password.
// Plain server-rendered HTML so it works in Playwright, curl and a screen reader.
import type { SandboxPersona } from "./personas";

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function signInLabel(p: SandboxPersona): string {
  return `Sign in as ${escapeHtml(p.name)}, ${escapeHtml(p.email)}, ${escapeHtml(p.summary)}`;
}

/** The button rule of the page's style sheet, kept apart so no line of the template runs past 160 characters. */
const buttonStyle =
  "button { width: 100%; text-align: left; padding: .75rem 1rem; border: 1px solid #888; border-radius: .5rem; " +
  "font: inherit; cursor: pointer; display: grid; gap: .15rem; }";

export function renderPersonaPicker(options: { loginAction: string; cancelAction: string; clientName: string; personas: readonly SandboxPersona[] }): string {
  const buttons = options.personas
    .map(
      (p) => `
      <li>
        <button type="submit" name="persona" value="${escapeHtml(p.key)}" aria-label="${signInLabel(p)}">
          <span class="name">${escapeHtml(p.name)}</span>
          <span class="email">${escapeHtml(p.email)}</span>
          <span class="summary">${escapeHtml(p.summary)}</span>
        </button>
      </li>`,
    )
    .join("");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in to the Wharf sandbox</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; color: #111; background: #fff; }
  @media (prefers-color-scheme: dark) { body { color: #eee; background: #111; } button { color: #eee; background: #222; } }
  ul { list-style: none; padding: 0; display: grid; gap: .75rem; }
  ${buttonStyle}
  button:focus-visible { outline: 3px solid #2563eb; outline-offset: 2px; }
  .name { font-weight: 600; } .email, .summary { font-size: .9rem; }
  .cancel { width: auto; display: inline-block; }
</style>
</head>
<body>
<main>
  <h1>Sign in to the Wharf sandbox</h1>
  <p>This is the local stand-in for Microsoft Entra ID, not a real tenant. Choose the persona ${escapeHtml(options.clientName)} should sign you in as.</p>
  <form method="post" action="${escapeHtml(options.loginAction)}">
    <ul>${buttons}
    </ul>
  </form>
  <form method="post" action="${escapeHtml(options.cancelAction)}">
    <button type="submit" class="cancel">Cancel</button>
  </form>
</main>
</body>
</html>`;
}

export function renderInteractionError(message: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Wharf sandbox sign-in error</title></head>
<body><main><h1>Sign-in could not continue</h1><p>${escapeHtml(message)}</p></main></body></html>`;
}
