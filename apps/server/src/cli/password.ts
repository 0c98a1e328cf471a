import { UsageError } from './usage.ts';

/** Where a command takes a password from, in the order it looks. */
export interface PasswordSources {
  /** The value of the old `--password`-style flag, if given: it works, with a warning (argv shows in `ps`). */
  readonly flag: string | undefined;
  /** The flag's name, for messages: `--password`. */
  readonly flagName: string;
  /** `--password-stdin` was given: read the whole of standard input. */
  readonly fromStdin: boolean;
  /** The environment variable to read, named in the command's help: `NOVAPOS_PASSWORD`. */
  readonly envName: string;
  /** What the prompt asks for: `Password for ops@example.com`. */
  readonly prompt: string;
}

async function readAll(input: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Reads a line from the terminal without echoing it. Backspace erases, Ctrl-C and Ctrl-D give up (a usage error:
 * nothing was created).
 */
function promptHidden(question: string): Promise<string> {
  const input = process.stdin;
  const output = process.stderr;
  return new Promise((resolve, reject) => {
    let value = '';
    // Echo off before the question shows: whatever is typed once it is on the screen must never be echoed (a
    // fast typist, or a busy machine, would otherwise see the first characters printed).
    input.setRawMode(true);
    output.write(question);
    input.resume();
    input.setEncoding('utf8');
    const done = (err?: Error): void => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      output.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (data: string): void => {
      for (const ch of data) {
        if (ch === '\r' || ch === '\n') {
          done();
          return;
        }
        if (ch === '\u0003' || ch === '\u0004') {
          done(new UsageError('cancelled: no password was given'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    input.on('data', onData);
  });
}

/**
 * The password for a command: from `--password-stdin` (as `docker login` does), the environment variable, a
 * hidden prompt when standard input is a terminal, or the legacy flag (with a warning on stderr). Giving two of
 * them, or none where no prompt is possible, is a usage error (exit code 2).
 */
export async function readPassword(sources: PasswordSources): Promise<string> {
  const env = process.env[sources.envName];
  if (sources.fromStdin) {
    if (sources.flag !== undefined) throw new UsageError(`give either ${sources.flagName} or --password-stdin`);
    if (process.stdin.isTTY) {
      throw new UsageError('--password-stdin reads a pipe: echo "$PASSWORD" | novapos …');
    }
    // Like `docker login --password-stdin`: the trailing newline of `echo` is not part of the password.
    const value = (await readAll(process.stdin)).replace(/\r?\n$/, '');
    if (value === '') throw new UsageError('--password-stdin: standard input was empty');
    return value;
  }
  if (sources.flag !== undefined) {
    process.stderr.write(
      `Warning: ${sources.flagName} shows the password to anyone who can list processes (ps) and in your shell ` +
        `history. Use ${sources.envName}, --password-stdin or the prompt instead.\n`,
    );
    return sources.flag;
  }
  if (env !== undefined && env !== '') return env;
  if (process.stdin.isTTY && process.stderr.isTTY) {
    const first = await promptHidden(`${sources.prompt}: `);
    const again = await promptHidden('Repeat it: ');
    if (first !== again) throw new UsageError('the two passwords differ; nothing was created');
    return first;
  }
  throw new UsageError(
    `a password is needed: set ${sources.envName}, pipe it with --password-stdin, or run in a terminal to be asked`,
  );
}
