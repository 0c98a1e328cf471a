// Prints "<passed> <failed>" for a Vitest JSON report. A test file that failed without a failing test (it crashed
// while loading, or a hook failed) counts as one failure, so a broken suite can never look green.
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
let failed = report.numFailedTests;
for (const file of report.testResults ?? []) {
  const failedTests = (file.assertionResults ?? []).filter((t) => t.status === 'failed').length;
  if (file.status === 'failed' && failedTests === 0) failed += 1;
}
if (report.numTotalTests === 0) failed += 1;
console.log(`${report.numPassedTests} ${failed}`);
