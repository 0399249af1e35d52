import { terminalSafe } from '../report/plan-text.js';

/** One step of the demo as `--json` reports it. */
export interface StepReport {
  step: string;
  title: string;
  /** Every expectation of the step held. */
  ok: boolean;
  checks: { expectation: string; ok: boolean }[];
  facts: Record<string, unknown>;
}

type Print = ((text: string) => void) | undefined;

/**
 * Tells the story as it happens (or, with `--json`, only collects it) and keeps score: the demo
 * is also a smoke test, so every expectation is recorded and any failure fails the run.
 * Everything printed is made terminal-safe, since request text reaches it.
 */
export class Narrator {
  readonly steps: StepReport[] = [];

  constructor(private readonly print: Print) {}

  get ok(): boolean {
    return this.steps.every((s) => s.ok);
  }

  get checks(): { total: number; failed: number } {
    const all = this.steps.flatMap((s) => s.checks);
    return { total: all.length, failed: all.filter((c) => !c.ok).length };
  }

  say(text: string): void {
    this.print?.(terminalSafe(text));
  }

  step(step: string, title: string): Step {
    const report: StepReport = { step, title, ok: true, checks: [], facts: {} };
    this.steps.push(report);
    this.say(`\n${this.steps.length}. ${title}\n`);
    return new Step(report, (text) => this.say(text));
  }
}

export class Step {
  constructor(
    readonly report: StepReport,
    private readonly print: (text: string) => void,
  ) {}

  /** Human-only text, indented under the step's title. */
  say(...lines: string[]): void {
    for (const line of lines.flatMap((l) => l.split('\n')))
      this.print(line ? `   ${line}\n` : '\n');
  }

  /** Machine-only detail, for `--json`. */
  fact(key: string, value: unknown): void {
    this.report.facts[key] = value;
  }

  /** An expectation of the demo; a false one fails the step and the run. */
  check(expectation: string, ok: boolean): boolean {
    this.report.checks.push({ expectation, ok });
    this.report.ok &&= ok;
    this.print(`   ${ok ? '✔' : '✘'} ${expectation}${ok ? '' : '   <- NOT AS EXPECTED'}\n`);
    return ok;
  }
}
