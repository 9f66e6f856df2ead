"use client";
// Approve, or reject with a reason, for one item of the inbox. The reason is
// required (3 to 500 characters) and checked by the server; its message shows
// under the field, which is marked invalid and focused. Both answers notify
// the requester; the item leaves the inbox when the list refetches.
import { useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Textarea } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { ApiError } from "@/lib/api/client-fetch";

export interface DecisionCalls {
  approve: () => Promise<unknown>;
  reject: (reason: string) => Promise<unknown>;
}

export function DecisionControls({
  subject,
  calls,
  approveLabel = "Approve",
  approveBlocked,
  onDecided,
}: {
  /** Names the item in the buttons' accessible names: "Approve orders-api revision 4 to orders-prod". */
  subject: string;
  calls: DecisionCalls;
  approveLabel?: string;
  /** Why approving is not possible now (the policy no longer allows it); rejecting still is. */
  approveBlocked?: string;
  onDecided: (outcome: string) => void;
}) {
  const id = useId();
  const field = useRef<HTMLTextAreaElement>(null);
  const [reason, setReason] = useState("");
  const [pending, setPending] = useState<"approve" | "reject" | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function decide(decision: "approve" | "reject") {
    setPending(decision);
    setError(null);
    setFieldError(null);
    try {
      if (decision === "approve") await calls.approve();
      else await calls.reject(reason);
      onDecided(decision === "approve" ? `Approved ${subject}.` : `Rejected ${subject}; the requester is told why.`);
    } catch (failure) {
      const message = (failure as Error).message;
      if (failure instanceof ApiError && failure.status === 400 && failure.path?.includes("reason")) {
        setFieldError(message);
        field.current?.focus();
      } else setError(message);
    } finally {
      setPending(null);
    }
  }

  return (
    <div className="space-y-2">
      <Label htmlFor={`${id}-reason`}>Reason (required to reject, 3 to 500 characters)</Label>
      <Textarea
        ref={field}
        id={`${id}-reason`}
        rows={2}
        maxLength={500}
        className="font-sans"
        value={reason}
        onChange={(event) => setReason(event.target.value)}
        aria-invalid={fieldError ? true : undefined}
        aria-describedby={fieldError ? `${id}-reason-error` : undefined}
      />
      {fieldError && (
        <p id={`${id}-reason-error`} className="text-sm font-medium text-destructive">
          {fieldError}
        </p>
      )}
      <div className="flex flex-wrap gap-2">
        <Button size="sm" onClick={() => decide("approve")} disabled={pending !== null || Boolean(approveBlocked)} aria-label={`${approveLabel} ${subject}`}>
          {pending === "approve" ? "Approving…" : approveLabel}
        </Button>
        <Button size="sm" variant="outline" onClick={() => decide("reject")} disabled={pending !== null} aria-label={`Reject ${subject}`}>
          {pending === "reject" ? "Rejecting…" : "Reject"}
        </Button>
      </div>
      {approveBlocked && <p className="text-xs text-muted-foreground">{approveBlocked}</p>}
      {error && (
        <p role="alert" className="text-sm font-medium text-destructive">
          {error}
        </p>
      )}
    </div>
  );
}
