"use server";
import { revalidatePath } from "next/cache";
import { serverAction } from "@/lib/actions/server-action";
import type { ActionState } from "@/lib/actions/action-state";
import { requestCostSync } from "@/lib/costs/request-cost-sync";
import { setCostBudget } from "@/lib/costs/set-cost-budget";
import { formatMoney } from "@/lib/costs/money";
import { setCostAllocationRule } from "@/lib/costs/set-cost-allocation-rule";
import type { BudgetFormValues } from "@/components/costs/budget-form";
import type { AllocationRuleFormValues } from "@/components/costs/allocation-rule-form";

export const syncCostsAction = serverAction(
  async (actor): Promise<ActionState<never>> => {
    const result = await requestCostSync({ actor });
    revalidatePath("/costs");
    return { status: "done", message: result.message };
  },
  (error): ActionState<never> => ({ status: "error", message: error.message }),
);

const budgetFields = ["team", "amount", "actualThresholds", "forecastThresholds"] as const;
const budgetValues = (form: FormData): BudgetFormValues =>
  Object.fromEntries(budgetFields.map((name) => [name, String(form.get(name) ?? "")])) as BudgetFormValues;

export const setCostBudgetAction = serverAction(
  async (actor, _state: ActionState<BudgetFormValues>, form: FormData): Promise<ActionState<BudgetFormValues>> => {
    const values = budgetValues(form);
    // Empty threshold fields mean the defaults (50, 80 and 100 % of actual and of forecast, issue 14).
    const input = {
      amount: values.amount,
      ...(values.actualThresholds?.trim() ? { actualThresholds: values.actualThresholds } : {}),
      ...(values.forecastThresholds?.trim() ? { forecastThresholds: values.forecastThresholds } : {}),
    };
    const budget = await setCostBudget({ actor, team: values.team ?? "", input });
    revalidatePath("/costs");
    return {
      status: "done",
      message: `Budget of ${budget.teamName} set to ${formatMoney(budget.amountMinor, budget.currency, budget.minorUnitDigits)} a month.`,
    };
  },
  (error, _state, form): ActionState<BudgetFormValues> => ({
    status: "error",
    message: error.message,
    field: error.path?.map(String).join("."),
    values: budgetValues(form),
  }),
);

const ruleValues = (form: FormData): AllocationRuleFormValues => ({ idle: String(form.get("idle") ?? ""), system: String(form.get("system") ?? "") });

/** An admin's choice of how idle and system cost are allocated; the stored months are then recomputed (decision 0058). */
export const setCostAllocationRuleAction = serverAction(
  async (actor, _state: ActionState<AllocationRuleFormValues>, form: FormData): Promise<ActionState<AllocationRuleFormValues>> => {
    const values = ruleValues(form);
    const change = await setCostAllocationRule({ actor, input: values });
    revalidatePath("/costs");
    return { status: "done", message: change.message, values };
  },
  (error, _state, form): ActionState<AllocationRuleFormValues> => ({
    status: "error",
    message: error.message,
    field: error.path?.map(String).join("."),
    values: ruleValues(form),
  }),
);
