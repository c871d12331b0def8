/** Keyset pagination shared by store list calls: items after `after` (exclusive), at most `limit`. */
export interface PageRequest {
  readonly limit: number;
  /** Opaque cursor returned as `next` by the previous page. */
  readonly after?: string;
}

export interface Page<T> {
  readonly items: T[];
  /** Cursor for the next page, absent on the last page. */
  readonly next?: string;
}
