// The history table's shape while it loads.
export default function Loading() {
  return (
    <div className="space-y-6" aria-busy="true" aria-label="Loading deployments">
      <div className="h-9 w-1/3 animate-pulse rounded bg-muted" />
      <div className="space-y-2 rounded-lg border border-border p-4">
        {[0, 1, 2, 3, 4, 5].map((index) => (
          <div key={index} className="h-8 animate-pulse rounded bg-muted" />
        ))}
      </div>
    </div>
  );
}
