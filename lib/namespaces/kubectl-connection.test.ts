import { describe, expect, it } from "vitest";
import { kubectlConnection, shellWord } from "./kubectl-connection";

describe("kubectl connection help", () => {
  it("names the cluster's subscription, resource group and the namespace in the commands, in order", () => {
    const help = kubectlConnection(
      { name: "aks-dev-weu", subscriptionId: "0b1c2d3e-0000-4000-8000-000000000001", resourceGroup: "rg-aks-dev" },
      "payments-dev",
    );
    expect(help.steps.map((step) => step.command)).toEqual([
      "az login",
      "az account set --subscription 0b1c2d3e-0000-4000-8000-000000000001",
      "az aks get-credentials --resource-group rg-aks-dev --name aks-dev-weu",
      "kubelogin convert-kubeconfig -l azurecli",
      "kubectl config set-context --current --namespace payments-dev",
      "kubectl get pods",
    ]);
    expect(help.steps[3]!.note).toContain("Microsoft Entra ID sign-in");
  });

  it("quotes a resource group a shell would split or expand", () => {
    expect(shellWord("rg (prod)")).toBe("'rg (prod)'");
    expect(shellWord("it's")).toBe(`'it'\\''s'`);
    expect(shellWord("$HOME")).toBe("'$HOME'");
    expect(shellWord("rg-aks.prod_1")).toBe("rg-aks.prod_1");
    const help = kubectlConnection({ name: "aks", subscriptionId: "s", resourceGroup: "My RG" }, "ns");
    expect(help.steps[2]!.command).toBe("az aks get-credentials --resource-group 'My RG' --name aks");
  });
});
