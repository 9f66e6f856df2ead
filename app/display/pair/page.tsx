// A new wall screen opens /display/pair and shows a code; someone who
// manages a board types it in on the board's page (Screens → Pair a screen).
import type { Metadata } from "next";
import { PairScreen } from "@/components/boards/pair-screen";

export const metadata: Metadata = { title: "Pair this screen", robots: { index: false } };

export default function PairPage() {
  return <PairScreen />;
}
