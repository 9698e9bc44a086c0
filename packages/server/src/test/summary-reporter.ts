import type { Reporter, TestModule } from 'vitest/node';

/** Ends a run with one plain line, `Tests: N passed, N failed, N skipped`, that any CI log reader understands. */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: readonly TestModule[]): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    const notes = new Map<string, number>();
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') counts.passed++;
        else if (state === 'failed') counts.failed++;
        else {
          counts.skipped++;
          const result = test.result();
          const note = result.state === 'skipped' ? result.note : undefined;
          if (note) notes.set(note, (notes.get(note) ?? 0) + 1);
        }
      }
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0) counts.failed++;
    }
    // Why tests were skipped, once per reason (e.g. a missing sample), so a skip never goes unnoticed.
    for (const [note, n] of notes) process.stdout.write(`\nSkipped ${n} test${n === 1 ? '' : 's'}: ${note}`);
    process.stdout.write(`\nTests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
  }
}
