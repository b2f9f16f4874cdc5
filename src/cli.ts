// The `nnspec` command line: `check`, `shapes`, `train` and `export` over the same language
// core and trainer as the extension.

import { totalmem } from 'node:os';
import { checkCommand, shapesCommand, type CommandOptions } from './cli/check';
import { EXPORT_USAGE, exportCommand } from './cli/exportCli';
import { LAB_USAGE, labCommandOf, labMain } from './cli/labCli';
import { errorMessage, fail, oneLine, type CliIO } from './cli/output';
import { trainCommand } from './cli/trainCli';
import { DEFAULT_MEMORY_BUDGET_MB, megabytes } from './shared/model/memory';
import { inspectData } from './trainer/datasets';

const USAGE = `Usage: nnspec <command> FILE [options]

Commands:
  check FILE [--json]                 report parse errors, dimension checks and pitfalls
                                      (exit status 1 when there is any error)
  shapes FILE [--json]                the shape of W[l], b[l], Z[l] and A[l] for every layer
  train FILE [--json] [--out MODEL]   train the network and report the cost and accuracy
                                      (Ctrl-C stops it and reports the run so far)
${EXPORT_USAGE}${LAB_USAGE}
Options:
  --json               machine-readable output
  --out MODEL          save the trained model (spec, parameters, cost history) as JSON
                       (export: the main file's path, or a folder)
  --memory-budget MB   warn (check, shapes) or refuse to train (train) when a run needs
                       more memory than this (default ${DEFAULT_MEMORY_BUDGET_MB})
  --untrained          export: the spec's initial parameters, without training
  --float              export --format onnx: float32 instead of float64
  -h, --help           this text

Exit status: 0 success, 1 a failure or errors in the spec, 2 a usage error,
130 training stopped by Ctrl-C.
`;

export interface ParsedArgs {
  command?: string;
  file?: string;
  json: boolean;
  out?: string;
  /** export only */
  format?: string;
  untrained: boolean;
  float: boolean;
  /** --memory-budget, in MB (2^20 bytes) */
  memoryBudgetMB?: number;
  help: boolean;
  unknown: string[];
  /** usage errors other than unknown options, e.g. `--out` without a file name */
  errors: string[];
}

export function parseArgs(argv: string[]): ParsedArgs {
  const args: ParsedArgs = { json: false, untrained: false, float: false, help: false, unknown: [], errors: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') args.json = true;
    else if (a === '-h' || a === '--help') args.help = true;
    else if (a === '--out' || a.startsWith('--out=')) {
      const value = a === '--out' ? argv[i + 1] : a.slice('--out='.length);
      if (value === undefined || value === '' || (a === '--out' && value.startsWith('-'))) {
        args.errors.push('--out needs a file name, e.g. --out model.json');
      } else {
        args.out = value;
      }
      if (a === '--out' && value !== undefined && !value.startsWith('-')) i++;
    } else if (a === '--memory-budget' || a.startsWith('--memory-budget=')) {
      const value = a === '--memory-budget' ? argv[i + 1] : a.slice('--memory-budget='.length);
      const mb = value === undefined || value.trim() === '' ? NaN : Number(value);
      if (!(mb > 0 && Number.isFinite(mb))) args.errors.push('--memory-budget needs a positive number of MB, e.g. --memory-budget 4096');
      else args.memoryBudgetMB = mb;
      if (a === '--memory-budget' && value !== undefined && !value.startsWith('--')) i++;
    }
    else if (a === '--untrained') args.untrained = true;
    else if (a === '--float') args.float = true;
    else if (a === '--format' || a.startsWith('--format=')) {
      const value = a === '--format' ? argv[i + 1] : a.slice('--format='.length);
      if (value === undefined || value === '' || (a === '--format' && value.startsWith('-'))) args.errors.push('--format needs a value: numpy, pytorch, onnx or course');
      else args.format = value;
      if (a === '--format' && value !== undefined && !value.startsWith('-')) i++;
    }
    else if (a.startsWith('-')) args.unknown.push(a);
    else if (!args.command) args.command = a;
    else if (!args.file) args.file = a;
    else args.unknown.push(a);
  }
  return args;
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  // sweep, step and gradcheck parse their own options (src/cli/labCli.ts)
  const lab = labCommandOf(argv);
  if (lab) return labMain(lab, argv, io, USAGE);
  const args = parseArgs(argv);
  if (args.help || !args.command) {
    (args.help ? io.stdout : io.stderr)(USAGE);
    return args.help ? 0 : 2;
  }
  if (args.errors.length) {
    io.stderr(`nnspec: ${args.errors.join('; ')}\n\n${USAGE}`);
    return 2;
  }
  if (args.command !== 'export') {
    // the export options are unknown to the other commands
    if (args.format !== undefined) args.unknown.push('--format');
    if (args.untrained) args.unknown.push('--untrained');
    if (args.float) args.unknown.push('--float');
  }
  if (args.unknown.length) {
    io.stderr(`nnspec: unknown option ${args.unknown.join(' ')}\n\n${USAGE}`);
    return 2;
  }
  if (!args.file) {
    io.stderr(`nnspec: ${args.command} needs a FILE\n\n${USAGE}`);
    return 2;
  }
  if (!['check', 'shapes', 'train', 'export'].includes(args.command)) {
    io.stderr(`nnspec: unknown command '${oneLine(args.command)}'\n\n${USAGE}`);
    return 2;
  }
  const opts: CommandOptions = {
    json: args.json,
    check: {
      memoryBudgetBytes: megabytes(args.memoryBudgetMB ?? DEFAULT_MEMORY_BUDGET_MB),
      machineBytes: totalmem(),
      memoryBudgetSource: 'set with --memory-budget MB',
    },
  };
  const inspect = inspectData;
  try {
    switch (args.command) {
      case 'check':
        return await checkCommand(args.file, opts, io, inspect);
      case 'shapes':
        return await shapesCommand(args.file, opts, io, inspect);
      case 'export':
        return await exportCommand(args.file, args, io);
      default:
        return await trainCommand(args.file, { ...opts, out: args.out }, io);
    }
  } catch (err) {
    // whatever escaped the command: one line (and the JSON error object), never a stack trace
    return fail(io, args.json, `internal error: ${errorMessage(err)}`, 'internal');
  }
}

/** Runs the command line in this process: exit status, one-line errors, a quiet closed pipe. */
function runAsProgram(): void {
  // `nnspec check big.nnspec | head`: once the reader is gone, the rest of the output is
  // dropped (no EPIPE stack trace) and the command ends with its own exit status
  let stdoutClosed = false;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') {
      stdoutClosed = true;
      return;
    }
    process.stderr.write(`nnspec: cannot write the output: ${oneLine(errorMessage(err))}\n`);
    process.exit(1);
  });
  process.on('uncaughtException', (err) => {
    process.stderr.write(`nnspec: internal error: ${oneLine(errorMessage(err))}\n`);
    process.exit(1);
  });
  main(process.argv.slice(2), {
    stdout: (s) => {
      if (!stdoutClosed) process.stdout.write(s);
    },
    stderr: (s) => process.stderr.write(s),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`nnspec: internal error: ${oneLine(errorMessage(err))}\n`);
      process.exitCode = 1;
    },
  );
}

if (require.main === module) runAsProgram();
