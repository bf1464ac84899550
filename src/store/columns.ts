// Writing only the fields a caller gave (a profile's status line, a consumer's position): each
// engine sets the columns of the fields that are defined and leaves the others as they are.

/** Each defined field of `fields` as its column and value, in the order of `columns`. */
export function columnsToSet<F extends object>(fields: F, columns: { readonly [K in keyof F]?: string }): Array<[column: string, value: unknown]> {
  const set: Array<[string, unknown]> = [];
  for (const [field, column] of Object.entries(columns) as Array<[keyof F, string]>) {
    const value = fields[field];
    if (value !== undefined) set.push([column, value]);
  }
  return set;
}
