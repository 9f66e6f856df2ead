"use client";
// A submit button for a destructive server-action form that asks first, in an
// accessible dialog (not window.confirm, which cannot be styled, is blocked in
// some kiosks and reads poorly to screen readers). Confirming submits the
// button's own form, so the action, its pending state and its errors stay the
// form's.
import { useRef, type ReactNode } from "react";
import { Button } from "./button";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "./alert-dialog";

export interface ConfirmSubmitButtonProps {
  /** The question, as the dialog's title: "Retire Payments API?" */
  title: string;
  /** What happens and what is kept. */
  description: string;
  /** The confirming button's label: "Retire". */
  confirmLabel: string;
  children: ReactNode;
  variant?: "destructive" | "outline";
  size?: "sm" | "default";
  disabled?: boolean;
  "aria-label"?: string;
}

export function ConfirmSubmitButton({
  title,
  description,
  confirmLabel,
  children,
  variant = "destructive",
  size,
  disabled,
  "aria-label": ariaLabel,
}: ConfirmSubmitButtonProps) {
  const trigger = useRef<HTMLButtonElement>(null);
  return (
    <AlertDialog>
      <AlertDialogTrigger asChild>
        <Button ref={trigger} type="button" variant={variant} size={size} disabled={disabled} aria-label={ariaLabel}>
          {children}
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>{title}</AlertDialogTitle>
          <AlertDialogDescription>{description}</AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel>Cancel</AlertDialogCancel>
          <AlertDialogAction onClick={() => trigger.current?.form?.requestSubmit()}>{confirmLabel}</AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
