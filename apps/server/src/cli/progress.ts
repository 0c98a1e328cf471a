import { SingleBar } from 'cli-progress';

/**
 * Progress of a long command, on stderr so that stdout (a CSV, `--json`) stays clean. On a terminal it is a
 * cli-progress bar redrawn in place; anywhere else (CI logs, a pipe, a file) it is plain lines:
 * `migrate: 3/16 0003_orders` at most once a second, plus the first and the last.
 */
export interface Progress {
  /** Moves to `value` (of `total` when the total is known), with an optional word about the current step. */
  update(value: number, step?: string): void;
  /** Ends the display: the bar stays at its last value; a plain line says where it ended. */
  stop(): void;
}

export interface ProgressOptions {
  /** What is happening: `migrate`, `seed`, `backup`, `export`. */
  readonly label: string;
  /** How many steps in all; undefined when unknown (a counter, no bar). */
  readonly total?: number | undefined;
  /** How a value reads: `rows`, or bytes shown as KiB/MiB. */
  readonly unit?: 'steps' | 'rows' | 'bytes';
  /** Where to draw (tests); defaults to stderr. */
  readonly stream?: NodeJS.WriteStream;
  /** Minimum time between two plain lines, in ms. */
  readonly plainEveryMs?: number;
}

function formatValue(value: number, unit: ProgressOptions['unit']): string {
  if (unit === 'bytes') {
    return value >= 1_048_576 ? `${(value / 1_048_576).toFixed(1)} MiB` : `${(value / 1024).toFixed(1)} KiB`;
  }
  return unit === 'rows' ? `${value} rows` : String(value);
}

function describe(value: number, total: number | undefined, unit: ProgressOptions['unit'], step?: string): string {
  const amount =
    total === undefined
      ? formatValue(value, unit)
      : `${formatValue(value, unit)}/${formatValue(total, unit)} (${total === 0 ? 100 : Math.floor((value / total) * 100)} %)`;
  return step === undefined || step === '' ? amount : `${amount} ${step}`;
}

/** A progress display for one command; see {@link Progress}. */
export function startProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const { label, total, unit = 'steps' } = options;
  if (stream.isTTY) {
    const bar = new SingleBar({
      stream,
      format:
        total === undefined
          ? `${label} {amount} {step} | {duration_formatted}`
          : `${label} [{bar}] {percentage}% | {amount} {step} | {duration_formatted}`,
      hideCursor: true,
      barCompleteChar: '#',
      barIncompleteChar: '-',
      clearOnComplete: false,
    });
    bar.start(total ?? 0, 0, { amount: total === undefined ? formatValue(0, unit) : `0/${total}`, step: '' });
    return {
      update(value, step) {
        bar.update(value, {
          amount: total === undefined ? formatValue(value, unit) : `${value}/${total}`,
          step: step ?? '',
        });
      },
      stop() {
        bar.stop();
      },
    };
  }
  const every = options.plainEveryMs ?? 1000;
  let last = 0;
  let current = 0;
  let currentStep: string | undefined;
  let printed = '';
  const print = (): void => {
    const line = `${label}: ${describe(current, total, unit, currentStep)}`;
    if (line === printed) return;
    printed = line;
    last = Date.now();
    stream.write(`${line}\n`);
  };
  print();
  return {
    update(value, step) {
      current = value;
      currentStep = step;
      if (Date.now() - last >= every) print();
    },
    stop() {
      print();
    },
  };
}
