/**
 * A keyset page to fetch: `limit + 1` rows past `after` in the list's own order, or, `backward`,
 * `limit + 1` rows before `before` in the reverse order (the rows nearest the cursor first). The
 * extra row tells the caller whether more follow; the caller puts backward rows back in order.
 */
export interface KeysetWindow<P> {
  limit: number;
  backward?: boolean;
  /** Exclusive: only rows after this position in the list's order. */
  after?: P;
  /** Exclusive: only rows before this position in the list's order. */
  before?: P;
}

/**
 * The SQL pieces of a keyset page over a list ordered `natural` on its key: the ORDER BY direction
 * to fetch in, and the comparison of the key with an `after` and with a `before` position.
 */
export function keysetSql(natural: 'ASC' | 'DESC', backward = false): { direction: 'ASC' | 'DESC'; after: '<' | '>'; before: '<' | '>' } {
  const reverse = natural === 'ASC' ? 'DESC' : 'ASC';
  return { direction: backward ? reverse : natural, after: natural === 'ASC' ? '>' : '<', before: natural === 'ASC' ? '<' : '>' };
}
