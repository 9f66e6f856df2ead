// A wall screen's page (issue 15). Outside the signed-in layout on purpose:
// no navigation, no session; the board's data comes from its snapshot and
// stream with the screen's display cookie (decision 0026).
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getConfig } from "@/lib/config";
import { boardSlug } from "@/lib/boards/board-input";
import { Kiosk } from "@/components/boards/kiosk";

export async function generateMetadata({ params }: { params: Promise<{ board: string }> }): Promise<Metadata> {
  const { board } = await params;
  const valid = boardSlug.safeParse(board).success;
  return {
    title: "Wall board",
    robots: { index: false },
    ...(valid && { manifest: `/display/${board}/manifest.webmanifest` }),
    icons: { icon: "/icons/wharf-192.png", apple: "/icons/wharf-192.png" },
  };
}

export default async function DisplayPage({ params }: { params: Promise<{ board: string }> }) {
  const { board } = await params;
  if (!boardSlug.safeParse(board).success) notFound();
  return <Kiosk slug={board} sandbox={getConfig().mode === "sandbox"} />;
}
