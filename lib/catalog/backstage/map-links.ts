// metadata.links → Wharf's three links. Backstage links are free-form, so the
// kind is read from type, then icon, then title; links Wharf has no place for
// are reported as not kept rather than dropped silently.
import { type BackstagePath, type Findings, type Origins } from "@/lib/catalog/backstage/findings";
import { isRecord, readText } from "@/lib/catalog/backstage/yaml-values";
import type { linkKinds } from "@/lib/catalog/service-input";

type LinkKind = (typeof linkKinds)[number];

const linkPatterns: readonly (readonly [LinkKind, RegExp])[] = [
  ["runbook", /runbook/i],
  ["dashboard", /dashboard/i],
  ["docs", /\bdocs?\b|documentation/i],
];

function kindOf(words: readonly (string | undefined)[]): LinkKind | null {
  for (const word of words) {
    if (word === undefined) continue;
    const match = linkPatterns.find(([, pattern]) => pattern.test(word));
    if (match) return match[0];
  }
  return null;
}

export function mapLinks(value: unknown, origins: Origins, findings: Findings): Partial<Record<LinkKind, string>> | undefined {
  const path: BackstagePath = ["metadata", "links"];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) {
    findings.error(path, "metadata.links must be a list of links, such as - url: https://grafana.example.com/d/payments with title: Dashboard.");
    return undefined;
  }
  const links: Partial<Record<LinkKind, string>> = {};
  value.forEach((link: unknown, index) => {
    const linkPath = [...path, index];
    if (!isRecord(link)) {
      findings.error(linkPath, "Each entry in metadata.links is a mapping with a url, such as - url: https://runbooks.example.com/payments.");
      return;
    }
    const url = readText(link, "url", linkPath, findings);
    if (url === undefined) {
      if (!findings.hasErrorAt([...linkPath, "url"])) findings.error(linkPath, "Add a url to this link, or remove the link.");
      return;
    }
    const title = readText(link, "title", linkPath, findings);
    const label = title === undefined ? url : `"${title}" (${url})`;
    const kind = kindOf([readText(link, "type", linkPath, findings), readText(link, "icon", linkPath, findings), title]);
    if (kind === null) {
      findings.warn(
        linkPath,
        `The link ${label} is not kept: Wharf keeps only a runbook, a dashboard and ` +
          "a docs link. If it is one of those, give it type: runbook, dashboard or docs.",
      );
    } else if (links[kind] !== undefined) {
      findings.warn(linkPath, `The link ${label} is not kept: Wharf keeps one ${kind} link and took the earlier one, ${links[kind]}.`);
    } else {
      links[kind] = url;
      origins.set(`links.${kind}`, { path: [...linkPath, "url"] });
    }
  });
  return links;
}
