import type { Metadata } from "next";
import type { ReactNode } from "react";
import { headers } from "next/headers";
import { ThemeProvider } from "@/components/shell/theme-provider";
import { SandboxMarker } from "@/components/shell/sandbox-marker";
import { CspNonce } from "@/components/shell/csp-nonce";
import { HydrationMark } from "@/components/shell/hydration-mark";
import { getConfig } from "@/lib/config";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Wharf", template: "%s · Wharf" },
  description: "Self-service developer portal for teams on Azure Kubernetes Service",
  // Without a declared icon every browser asks for /favicon.ico and logs its 404 on every page.
  icons: { icon: "/icons/wharf-192.png", apple: "/icons/wharf-192.png" },
};

// Every page depends on the session or the configuration, so nothing is prerendered at build time.
export const dynamic = "force-dynamic";

export default async function RootLayout({ children }: { children: ReactNode }) {
  const sandbox = getConfig().mode === "sandbox";
  // The CSP nonce proxy.ts made for this request (Next puts it on its own scripts): next-themes' inline
  // script, which sets the theme before hydration, and styles added at run time need it too.
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    <html lang="en" suppressHydrationWarning>
      <body className="font-sans antialiased">
        <CspNonce nonce={nonce} />
        <HydrationMark />
        <ThemeProvider nonce={nonce}>
          {sandbox && <SandboxMarker />}
          {children}
        </ThemeProvider>
      </body>
    </html>
  );
}
