// Name and label rules from k8s.io/apimachinery/pkg/util/validation, with
// the exact wording the API server uses, because Wharf shows these messages
// to the user who typed the name.
import type { NameRule } from "./resources";

const dns1123LabelPattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1123SubdomainPattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dns1035LabelPattern = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const labelNamePattern = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const labelValuePattern = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

const dns1123LabelMessage =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an " +
  "alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const dns1123SubdomainMessage =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric " +
  "character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const dns1035LabelMessage =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end " +
  "with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const labelNameMessage =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
  "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const labelValueMessage =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric " +
  "character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

function maxLength(limit: number): string {
  return `must be no more than ${limit} characters`;
}

export function dns1123LabelErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 63) errors.push(maxLength(63));
  if (!dns1123LabelPattern.test(value)) errors.push(dns1123LabelMessage);
  return errors;
}

export function dns1123SubdomainErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 253) errors.push(maxLength(253));
  if (!dns1123SubdomainPattern.test(value)) errors.push(dns1123SubdomainMessage);
  return errors;
}

export function dns1035LabelErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 63) errors.push(maxLength(63));
  if (!dns1035LabelPattern.test(value)) errors.push(dns1035LabelMessage);
  return errors;
}

function pathSegmentErrors(value: string): string[] {
  if (value === "." || value === "..") return [`may not be '${value}'`];
  return ["/", "%"].filter((char) => value.includes(char)).map((char) => `may not contain '${char}'`);
}

export function nameErrors(rule: NameRule, name: string): string[] {
  switch (rule) {
    case "dns1123Label":
      return dns1123LabelErrors(name);
    case "dns1123Subdomain":
      return dns1123SubdomainErrors(name);
    case "dns1035Label":
      return dns1035LabelErrors(name);
    case "pathSegment":
      return pathSegmentErrors(name);
  }
}

/** Errors for a label or annotation key: an optional DNS subdomain prefix, a slash, and a name part. */
export function qualifiedNameErrors(key: string): string[] {
  const parts = key.split("/");
  const [first = "", second] = parts;
  if (parts.length > 2)
    return [
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an " +
        "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is " +
        "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  const name = second ?? first;
  const errors: string[] = [];
  if (second !== undefined) {
    if (first === "") errors.push("prefix part must be non-empty");
    else errors.push(...dns1123SubdomainErrors(first).map((message) => `prefix part ${message}`));
  }
  if (name === "") errors.push("name part must be non-empty");
  else {
    if (name.length > 63) errors.push(`name part ${maxLength(63)}`);
    if (!labelNamePattern.test(name)) errors.push(labelNameMessage);
  }
  return errors;
}

export function labelValueErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 63) errors.push(maxLength(63));
  if (!labelValuePattern.test(value)) errors.push(labelValueMessage);
  return errors;
}

const quantityPattern = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;

/** resource.Quantity syntax ("500m", "1Gi", "2"), as quotas, limit ranges and container resources carry. */
export function isQuantity(value: unknown): boolean {
  if (typeof value === "number") return Number.isFinite(value);
  return typeof value === "string" && quantityPattern.test(value) && /^[+-]?(\d+\.?\d*|\.\d+)/.test(value);
}
