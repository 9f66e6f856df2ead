// The sandbox's controllers for one cluster (deployment, replica set,
// scheduler, kubelet, resource quota, garbage collector), started on a
// ClusterStore. See docs/decisions/0011-sandbox-controller.md.
export { containerLogSource, startController, type ControllerOptions, type RunningController } from "./controller";
export { defaultKnownRegistries } from "./images";
