"use client";
import Link from "next/link";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Textarea } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { callApi } from "@/lib/api/client-fetch";

export function WithdrawButton({ requestId, name }: { requestId: string; name: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  return (
    <span className="inline-flex flex-col gap-1">
      <Button
        size="sm"
        variant="outline"
        disabled={pending}
        aria-label={`Withdraw the request for ${name}`}
        onClick={async () => {
          setPending(true);
          setError(null);
          try {
            await callApi(`/api/v1/namespace-requests/${requestId}/withdraw`, { method: "POST" });
            router.refresh();
          } catch (failure) {
            setError((failure as Error).message);
          } finally {
            setPending(false);
          }
        }}
      >
        Withdraw
      </Button>
      {error && (
        <span role="alert" className="text-xs text-destructive">
          {error}
        </span>
      )}
    </span>
  );
}

/** Approve or reject; a rejection needs a reason the team can act on. */
export function DecisionForm({ requestId, name, blocked, destructive }: { requestId: string; name: string; blocked?: string; destructive?: boolean }) {
  const router = useRouter();
  const [reason, setReason] = useState("");
  const [confirm, setConfirm] = useState("");
  const [state, setState] = useState<{ pending: boolean; error?: string; done?: string; namespaceId?: string | null }>({ pending: false });
  async function decide(decision: "approve" | "reject") {
    setState({ pending: true });
    try {
      // The card stays with the outcome (and a link) until the page is reloaded.
      const result = await callApi<{ namespaceId: string | null }>(`/api/v1/namespace-requests/${requestId}/decision`, {
        method: "POST",
        body: { decision, reason: reason.trim() || undefined },
      });
      setState({ pending: false, done: decision === "approve" ? "Approved." : "Rejected.", namespaceId: result.namespaceId });
    } catch (failure) {
      setState({ pending: false, error: (failure as Error).message });
      router.refresh();
    }
  }
  const id = `reason-${requestId}`;
  return (
    <div className="space-y-2">
      <Label htmlFor={id}>Reason (required to reject)</Label>
      <Textarea id={id} rows={2} className="font-sans" value={reason} onChange={(e) => setReason(e.target.value)} />
      {destructive && (
        <>
          <Label htmlFor={`confirm-${requestId}`}>Type {name} to approve deleting it</Label>
          <input
            id={`confirm-${requestId}`}
            className="h-9 w-full rounded-md border border-border bg-background px-2 font-mono text-sm"
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
            autoComplete="off"
          />
        </>
      )}
      <div className="flex flex-wrap gap-2">
        <Button
          size="sm"
          onClick={() => decide("approve")}
          disabled={state.pending || Boolean(state.done) || Boolean(blocked) || (destructive && confirm !== name)}
          aria-label={`Approve ${name}`}
          variant={destructive ? "destructive" : "default"}
        >
          Approve
        </Button>
        <Button size="sm" variant="outline" onClick={() => decide("reject")} disabled={state.pending || Boolean(state.done)} aria-label={`Reject ${name}`}>
          Reject
        </Button>
      </div>
      {blocked && <p className="text-xs text-muted-foreground">{blocked}</p>}
      {state.error && (
        <p role="alert" className="text-sm font-medium text-destructive">
          {state.error}
        </p>
      )}
      {state.done && (
        <p className="text-sm">
          <span role="status" className="font-medium">
            {state.done}
          </span>{" "}
          {state.namespaceId && (
            <Link className="underline" href={`/namespaces/${state.namespaceId}`}>
              Follow the namespace
            </Link>
          )}
        </p>
      )}
    </div>
  );
}
