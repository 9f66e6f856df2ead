// How every bench script runs its `main`: exits 0 when it is done (a browser, a pool or a timer left open does not keep
// the process), and prints the error and exits 1 when it fails.
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
