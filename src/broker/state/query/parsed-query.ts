/** One step of a field path: an object member name (or, on an array, a decimal index). */
export type FieldPath = readonly string[];

/** A comparison or IN leaf: `path` is the dotted key exactly as written in the query. */
export interface FieldCondition {
  readonly op: 'EQ' | 'NEQ' | 'GT' | 'GTE' | 'LT' | 'LTE';
  readonly path: string;
  readonly segments: FieldPath;
  readonly value: unknown;
}

export interface InCondition {
  readonly op: 'IN';
  readonly path: string;
  readonly segments: FieldPath;
  readonly values: readonly unknown[];
}

export interface Junction {
  readonly op: 'AND' | 'OR';
  readonly filters: readonly FilterNode[];
}

/** A validated Dapr query filter tree. */
export type FilterNode = FieldCondition | InCondition | Junction;

export interface SortKey {
  readonly path: string;
  readonly segments: FieldPath;
  readonly descending: boolean;
}

/** A Dapr Query, validated once and frozen; `runQuery` evaluates it against items. */
export interface ParsedQuery {
  /** Absent = every item whose data is JSON matches. */
  readonly filter: FilterNode | undefined;
  /** Applied in order; ties fall back to the state key. Empty = order by state key. */
  readonly sort: readonly SortKey[];
  /** Maximum items per page; 0 = no limit. */
  readonly limit: number;
  /** Index of the first item of this page in the sorted result (decoded token). */
  readonly offset: number;
}
