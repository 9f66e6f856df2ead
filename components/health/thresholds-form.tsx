"use client";
// One tier's health thresholds. The same zod schema the API applies checks
// the form as it is submitted, so every problem shows at once, next to its
// field and in a list at the top; the server's answer is shown too.
import { useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { HydratedFieldset } from "@/components/ui/hydrated-fieldset";
import { RelativeTime } from "@/components/ui/relative-time";
import { callApi } from "@/lib/api/client-fetch";
import { defaultThresholds, tierThresholdsInput } from "@/lib/health/thresholds";
import type { TierThresholdsView } from "@/lib/health/get-health-thresholds";

type PairKey = "failureRatePct" | "p95DurationMs" | "availabilityPct" | "restarts";
const pairs: { key: PairKey; label: string; unit: string; note: string }[] = [
  { key: "failureRatePct", label: "Failure rate", unit: "%", note: "of requests failed over 15 min; higher is worse" },
  { key: "p95DurationMs", label: "p95 duration", unit: "ms", note: "95th percentile request duration; higher is worse" },
  { key: "availabilityPct", label: "Availability", unit: "%", note: "availability test runs passed; lower is worse" },
  { key: "restarts", label: "Restarts", unit: "restarts", note: "container restarts in the window; higher is worse" },
];

/** "failureRatePct.degraded" → "Failure rate, degraded at". */
function fieldLabel(name: string): string {
  if (name === "minRequests") return "Fewest requests";
  const [key, level] = name.split(".");
  const pair = pairs.find((candidate) => candidate.key === key);
  return pair && level ? `${pair.label}, ${level} at` : name;
}

type Values = Record<`${PairKey}.${"degraded" | "unhealthy"}` | "minRequests", string>;

function toValues(thresholds: Omit<TierThresholdsView, "tier" | "isDefault" | "updatedAt">): Values {
  const values = { minRequests: String(thresholds.minRequests) } as Values;
  for (const { key } of pairs) {
    values[`${key}.degraded`] = String(thresholds[key].degraded);
    values[`${key}.unhealthy`] = String(thresholds[key].unhealthy);
  }
  return values;
}

/** A number where the text is one; otherwise the text itself, so the schema names the field. */
const parse = (text: string): number | string => (/^\s*-?\d+(\.\d+)?\s*$/.test(text) ? Number(text) : text);

function toInput(values: Values) {
  return {
    ...Object.fromEntries(pairs.map(({ key }) => [key, { degraded: parse(values[`${key}.degraded`]), unhealthy: parse(values[`${key}.unhealthy`]) }])),
    minRequests: parse(values.minRequests),
  };
}

export function ThresholdsForm({ thresholds }: { thresholds: TierThresholdsView }) {
  const router = useRouter();
  const [values, setValues] = useState<Values>(() => toValues(thresholds));
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [state, setState] = useState<{ pending?: boolean; error?: string; done?: boolean }>({});
  const id = (field: string) => `${thresholds.tier}-${field.replace(".", "-")}`;
  const field = (name: keyof Values, label: string) => (
    <div className="space-y-1">
      <label htmlFor={id(name)} className="text-sm font-medium">
        {label}
      </label>
      <Input
        id={id(name)}
        inputMode="decimal"
        className="tabular-nums"
        value={values[name]}
        aria-invalid={problems[name] ? true : undefined}
        aria-describedby={problems[name] ? `${id(name)}-problem` : undefined}
        onChange={(event) => setValues({ ...values, [name]: event.target.value })}
      />
      {problems[name] && (
        <p id={`${id(name)}-problem`} className="text-sm text-destructive">
          {problems[name]}
        </p>
      )}
    </div>
  );
  return (
    <form
      aria-label={`Health thresholds for ${thresholds.tier} services`}
      noValidate
      onSubmit={async (event) => {
        event.preventDefault();
        const input = toInput(values);
        const checked = tierThresholdsInput.safeParse(input);
        if (!checked.success) {
          const found: Record<string, string> = {};
          for (const issue of checked.error.issues) found[issue.path.map(String).join(".")] ??= issue.message;
          setProblems(found);
          setState({});
          return;
        }
        setProblems({});
        setState({ pending: true });
        try {
          await callApi("/api/v1/health-thresholds", { method: "PUT", body: { tier: thresholds.tier, ...checked.data } });
          setState({ done: true });
          router.refresh();
        } catch (error) {
          setState({ error: (error as Error).message });
        }
      }}
    >
      <HydratedFieldset className="space-y-4">
        {Object.keys(problems).length > 0 && (
          <div role="alert" className="rounded-md border border-destructive p-3 text-sm">
            <p className="font-medium text-destructive">
              {Object.keys(problems).length === 1 ? "One value needs a change" : `${Object.keys(problems).length} values need a change`}; nothing was saved:
            </p>
            <ul className="list-disc pl-6">
              {Object.entries(problems).map(([name, message]) => (
                <li key={name}>
                  <a href={`#${id(name)}`} className="underline">
                    {fieldLabel(name)}: {message}
                  </a>
                </li>
              ))}
            </ul>
          </div>
        )}
        <div className="grid gap-4 md:grid-cols-2">
          {pairs.map(({ key, label, unit, note }) => (
            <fieldset key={key} className="space-y-2 rounded-md border border-border p-3">
              <legend className="px-1 text-sm font-semibold">
                {label}{" "}
                <span className="font-normal text-muted-foreground">
                  ({unit}; {note})
                </span>
              </legend>
              <div className="grid grid-cols-2 gap-3">
                {field(`${key}.degraded`, `Degraded at (${unit})`)}
                {field(`${key}.unhealthy`, `Unhealthy at (${unit})`)}
              </div>
            </fieldset>
          ))}
        </div>
        <div className="max-w-xs">{field("minRequests", "Fewest requests to judge failure rate and p95")}</div>
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" disabled={state.pending}>
            Save {thresholds.tier}
          </Button>
          <Button type="button" variant="outline" onClick={() => setValues(toValues(defaultThresholds[thresholds.tier]))}>
            Fill in Wharf&apos;s defaults
          </Button>
          <span className="text-sm text-muted-foreground">
            {thresholds.isDefault ? (
              "Wharf's defaults apply."
            ) : (
              <>
                Set by an admin <RelativeTime iso={thresholds.updatedAt!} />.
              </>
            )}
          </span>
          {state.error && (
            <p role="alert" className="text-sm font-medium text-destructive">
              {state.error}
            </p>
          )}
          {state.done && (
            <p role="status" className="text-sm">
              Saved. The next health evaluation uses them.
            </p>
          )}
        </div>
      </HydratedFieldset>
    </form>
  );
}
