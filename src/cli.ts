// The `nnspec` command line: `check`, `shapes`, `train` and `export` over the same language
// core and trainer as the extension.

import { checkCommand, shapesCommand, type CliIO } from './cli/check';
import { EXPORT_USAGE, exportCommand } from './cli/exportCli';
import { LAB_USAGE, labCommandOf, labMain } from './cli/labCli';
import { trainCommand } from './cli/trainCli';
import { inspectData } from './trainer/datasets';

const USAGE = `Usage: nnspec <command> FILE [options]

Commands:
  check FILE [--json]                 report parse errors, dimension checks and pitfalls
                                      (exit status 1 when there is any error)
  shapes FILE [--json]                the shape of W[l], b[l], Z[l] and A[l] for every layer
  train FILE [--json] [--out MODEL]   train the network and report the cost and accuracy
${EXPORT_USAGE}${LAB_USAGE}
Options:
  --json        machine-readable output
  --out MODEL   save the trained model (spec, parameters, cost history) as JSON
                (export: the main file's path, or a folder)
  --untrained   export: the spec's initial parameters, without training
  --float       export --format onnx: float32 instead of float64
  -h, --help    this text
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
  const inspect = inspectData;
  switch (args.command) {
    case 'check':
      return checkCommand(args.file, args, io, inspect);
    case 'shapes':
      return shapesCommand(args.file, args, io, inspect);
    case 'train':
      return trainCommand(args.file, { json: args.json, out: args.out }, io);
    case 'export':
      return exportCommand(args.file, args, io);
    default:
      io.stderr(`nnspec: unknown command '${args.command}'\n\n${USAGE}`);
      return 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`nnspec: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
