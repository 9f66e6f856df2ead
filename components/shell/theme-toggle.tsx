"use client";
import { Moon, Sun } from "lucide-react";
import { useTheme } from "next-themes";
import { Button } from "@/components/ui/button";
import { useHydrated } from "@/components/ui/hydrated-fieldset";

export function ThemeToggle() {
  const { resolvedTheme, setTheme } = useTheme();
  // The server cannot know the theme (it is in the browser's storage), and React keeps the server's attributes when it
  // hydrates: a label computed on the first render said "Switch to dark theme" after a reload in the dark theme. It names
  // the theme to switch to only once hydrated (the button works only from then on anyway).
  const hydrated = useHydrated();
  const next = resolvedTheme === "dark" ? "light" : "dark";
  const label = hydrated && resolvedTheme ? `Switch to ${next} theme` : "Switch theme";
  return (
    <Button variant="ghost" size="sm" aria-label={label} title={label} onClick={() => setTheme(next)}>
      <Sun className="hidden h-4 w-4 dark:block" aria-hidden />
      <Moon className="h-4 w-4 dark:hidden" aria-hidden />
    </Button>
  );
}
