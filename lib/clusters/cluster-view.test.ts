// Pure: a cluster as the API shows it keeps to the documented environments whatever the row holds.
import { describe, expect, it } from "vitest";
import { environmentOf, laterEnvironments } from "@/lib/clusters/cluster-view";

describe("environmentOf", () => {
  it("keeps dev, test and prod; anything written around Wharf is untagged", () => {
    expect(["dev", "test", "prod"].map(environmentOf)).toEqual(["dev", "test", "prod"]);
    expect(environmentOf(null)).toBeNull();
    expect(environmentOf("staging")).toBeNull();
    expect(environmentOf("")).toBeNull();
    expect(environmentOf("Prod")).toBeNull();
  });
});

describe("laterEnvironments", () => {
  it("are the environments code moves through next, none after prod or for an unknown one", () => {
    expect(laterEnvironments("dev")).toEqual(["test", "prod"]);
    expect(laterEnvironments("prod")).toEqual([]);
    expect(laterEnvironments("staging")).toEqual([]);
  });
});
