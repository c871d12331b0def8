/**
 * Appends an item to a list held in a map; returns the list to keep there (the same array, or a
 * new one). V8 grows a pushed-to array by half its length plus 16 slots, so the many short lists
 * an index holds (an actor's grants, an owner's resources) would each carry ~16 empty slots:
 * ~4 MB over the grants and the registry's indexes at dataset M. A short list is copied at its
 * exact length instead (`toSpliced` allocates exactly, as `concat` does, at about a third of its
 * cost: ~1M appends load dataset M); from 16 items on, push's amortised growth is kept (its slack
 * is then at most about a third).
 */
export function appended<T>(list: T[] | undefined, item: T): T[] {
  if (!list) return [item];
  if (list.length < 16) return list.toSpliced(list.length, 0, item);
  list.push(item);
  return list;
}
