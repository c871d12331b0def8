/**
 * One copy of each string: ids decoded from a database or built by a generator arrive as separate
 * strings, one per record that names them; a store that keeps the pool's copy instead holds each
 * id once however many records share it.
 */
export class StringPool {
  private readonly copies = new Map<string, string>();

  /** The pool's copy of `s` (kept from now on when it is new). */
  share(s: string): string {
    const known = this.copies.get(s);
    if (known !== undefined) return known;
    this.copies.set(s, s);
    return s;
  }

  /** Lets the pool's copy go (when nothing the caller keeps names it any more). */
  forget(s: string): void {
    this.copies.delete(s);
  }
}
