/**
 * A jest reporter that ends the run with its wall time and the slowest test files, so the
 * suite's cost is visible in every run (issue 10 asks for the time and the slowest files).
 * It reports; it never fails a run on time, because the suite must pass on a loaded machine.
 */
export default class SlowestFilesReporter {
  constructor(_globalConfig, options = {}) {
    this.count = options.count ?? 10;
  }

  onRunComplete(_contexts, results) {
    const files = results.testResults
      .map((r) => ({
        path: r.testFilePath.replace(`${process.cwd()}/`, ''),
        seconds: (r.perfStats.end - r.perfStats.start) / 1000,
      }))
      .sort((a, b) => b.seconds - a.seconds);
    if (files.length === 0) return;
    const wall = (Date.now() - results.startTime) / 1000;
    const lines = files
      .slice(0, this.count)
      .map((f) => `  ${f.seconds.toFixed(1).padStart(7)} s  ${f.path}`);
    process.stderr.write(
      `\nTest files: ${files.length} in ${wall.toFixed(0)} s wall; the ${Math.min(this.count, files.length)} slowest:\n${lines.join('\n')}\n`,
    );
  }
}
