import { terminalSafe } from '../report/plan-text.js';
import { hasErrors, type Finding } from './checks.js';

export interface DoctorReport {
  repository: string;
  findings: Finding[];
}

/** One block per finding, the remedy under it; API strings are made safe for a terminal. */
export function renderDoctorText({ repository, findings }: DoctorReport): string {
  const safe = (s: string) => terminalSafe(s).replace(/\r?\n/g, ' ⏎ ');
  const out = [`jit doctor: ${safe(repository)}`, ''];
  for (const f of findings) {
    out.push(`${f.severity.padEnd(8)}${f.id}: ${safe(f.message)}`, `        fix: ${safe(f.fix)}`);
  }
  const count = (severity: Finding['severity']) =>
    findings.filter((f) => f.severity === severity).length;
  out.push(
    findings.length === 0
      ? 'ok: nothing found that would let a grant through unreviewed'
      : `${count('error')} error(s), ${count('warning')} warning(s)`,
  );
  return out.join('\n') + '\n';
}

export function renderDoctorJson({ repository, findings }: DoctorReport): string {
  return JSON.stringify({ repository, ok: !hasErrors(findings), findings }, null, 2) + '\n';
}
