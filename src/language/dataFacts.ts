// Reads what the checks need of the spec's data through an injected reader, so that this
// folder stays free of file-system code: the host and the CLI pass the trainer's reader.

import type { DataSource, Split } from '../shared/model/spec';
import type { DataFacts, DataSummary } from '../shared/model/data';
import type { ParsedSpec } from './parser';

export type InspectData = (source: DataSource, specDir: string) => Promise<DataSummary>;

export async function collectDataFacts(parsed: ParsedSpec, specDir: string, inspect: InspectData): Promise<DataFacts> {
  const facts: DataFacts = {};
  await Promise.all(
    (['train', 'test'] as Split[]).map(async (split) => {
      const source = parsed.spec[split];
      if (!source) return;
      try {
        facts[split] = await inspect(source, specDir);
      } catch (err) {
        facts[split] = { error: err instanceof Error ? err.message : String(err) };
      }
    }),
  );
  return facts;
}
