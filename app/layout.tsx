import type { Metadata } from "next";
import type { ReactNode } from "react";
import { ThemeProvider } from "@/components/shell/theme-provider";
import { SandboxMarker } from "@/components/shell/sandbox-marker";
import { getConfig } from "@/lib/config";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Wharf", template: "%s · Wharf" },
  description: "Self-service developer portal for teams on Azure Kubernetes Service",
};

// Every page depends on the session or the configuration, so nothing is prerendered at build time.
export const dynamic = "force-dynamic";

export default function RootLayout({ children }: { children: ReactNode }) {
  const sandbox = getConfig().mode === "sandbox";
  return (
    <html lang="en" suppressHydrationWarning>
      <body className="font-sans antialiased">
        <ThemeProvider>
          {sandbox && <SandboxMarker />}
          {children}
        </ThemeProvider>
      </body>
    </html>
  );
}
