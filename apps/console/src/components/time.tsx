/** A timestamp as the reader's locale writes it, with the exact ISO time on hover and for machines. */
export function Time({ value }: { value: string }) {
  return (
    <time dateTime={value} title={value}>
      {new Date(value).toLocaleString()}
    </time>
  );
}
