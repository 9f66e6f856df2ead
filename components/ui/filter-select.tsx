// A labelled <select> of a GET filter form (the catalog, health and the
// deployment history keep their filters in the URL): submitting the form
// is the whole interaction, so it works before hydration and without script.
export const selectClass =
  "h-10 rounded-md border border-border bg-background px-2 text-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring";

export interface FilterOption {
  value: string;
  label: string;
}

export function FilterSelect({
  id,
  name,
  label,
  value,
  options,
  className,
}: {
  /** The element's id; the name when absent. */
  id?: string;
  name: string;
  label: string;
  value: string;
  options: readonly FilterOption[];
  /** Added to the select's classes, e.g. w-full. */
  className?: string;
}) {
  const elementId = id ?? name;
  return (
    <div className="space-y-1">
      <label htmlFor={elementId} className="text-sm font-medium">
        {label}
      </label>
      <select id={elementId} name={name} defaultValue={value} className={className ? `${selectClass} ${className}` : selectClass}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}
