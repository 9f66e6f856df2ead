// The diff against what Wharf applied last, as `diff -u` prints it, with
// + and - markers kept so it reads without colour.
import type { ManifestDiff } from "@/lib/deployments/manifest";

const lineClass = {
  hunk: "text-muted-foreground",
  context: "",
  added: "bg-success-muted text-success-muted-foreground",
  removed: "bg-destructive-muted text-destructive-muted-foreground",
};
const marker = { hunk: "", context: " ", added: "+", removed: "-" };

export function ManifestDiffView({ diff }: { diff: ManifestDiff }) {
  if (!diff.changed) return <p className="text-sm text-muted-foreground">Nothing changes: this is exactly what Wharf applied last.</p>;
  return (
    <div>
      <p className="mb-2 text-sm">
        <span className="font-medium text-success">+{diff.added}</span> lines added, <span className="font-medium text-destructive">-{diff.removed}</span>{" "}
        removed
      </p>
      <pre className="max-h-[28rem] overflow-auto rounded-md border border-border text-xs leading-5" aria-label="Manifest diff">
        {diff.lines.map((line, index) => (
          <div key={index} className={`px-3 ${lineClass[line.kind]}`}>
            {marker[line.kind]}
            {line.text}
          </div>
        ))}
      </pre>
    </div>
  );
}
