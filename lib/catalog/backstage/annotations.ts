// Annotation names shared by the import and the export. The `wharf.io/*` ones
// carry what Backstage has no field for, so an exported file imports back whole
// (docs/decisions/0007-backstage-mapping.md).

export const backstageAnnotations = {
  sourceLocation: "backstage.io/source-location",
  githubProjectSlug: "github.com/project-slug",
} as const;

export const wharfAnnotations = {
  appInsightsRoleName: "wharf.io/app-insights-role-name",
  tier: "wharf.io/tier",
  language: "wharf.io/language",
  /** JSON text of the deploy spec. */
  deploySpec: "wharf.io/deploy-spec",
  /** JSON object: resource name in spec.dependsOn → Wharf dependency kind. */
  dependencyKinds: "wharf.io/dependency-kinds",
  /** JSON object: resource name in spec.dependsOn → Wharf target, for targets that are not valid Backstage names. */
  dependencyTargets: "wharf.io/dependency-targets",
} as const;

export const componentApiVersions = ["backstage.io/v1alpha1", "backstage.io/v1beta1"] as const;
