"use client";
// An error boundary's "Try again": reset() alone re-renders what the browser
// has, so the server's part of the page is fetched again first.
import { startTransition } from "react";
import { useRouter } from "next/navigation";

export function useRetry(reset: () => void): () => void {
  const router = useRouter();
  return () =>
    startTransition(() => {
      router.refresh();
      reset();
    });
}
