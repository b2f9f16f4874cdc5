// The designer's `openFile` message may open only the spec files the host listed for it (the
// `files` of the last `state` messages): a webview is not trusted to name any URI. Pure (no
// vscode import), so the decision is tested as a unit.

export class OpenFileGuard {
  private readonly allowed = new Set<string>();

  /** The URIs the host has just told the webview about (added to those told before). */
  listed(uris: Iterable<string>): void {
    for (const uri of uris) this.allowed.add(uri);
  }

  /** The URI to open, or why not: a URI the host never listed is refused. */
  check(uri: unknown): { uri: string } | { refused: string } {
    if (typeof uri !== 'string' || !this.allowed.has(uri)) {
      return { refused: 'The designer can only open the spec files it lists.' };
    }
    return { uri };
  }
}
