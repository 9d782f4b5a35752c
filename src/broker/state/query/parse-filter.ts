import type { Any__Output } from '../../../generated/google/protobuf/Any.js';
import { StateRequestError } from '../state-request-error.js';
import { parseFieldPath } from './field-path.js';
import type { FieldCondition, FilterNode } from './parsed-query.js';

const FIELD = 'query.filter';
const COMPARISONS = new Set(['EQ', 'NEQ', 'GT', 'GTE', 'LT', 'LTE']);
const OPERATORS = new Set([...COMPARISONS, 'IN', 'AND', 'OR']);
/** Deeper filters are refused rather than risking the stack; real queries nest a few levels. */
export const MAX_FILTER_DEPTH = 32;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function invalid(where: string, message: string): StateRequestError {
  return new StateRequestError('INVALID_ARGUMENT', `invalid query filter at ${where}: ${message}`, FIELD);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function decodeOperand(where: string, any: Any__Output | undefined): unknown {
  const bytes = any?.value;
  if (bytes === undefined || bytes.length === 0) throw invalid(where, 'operand is empty (expected JSON in Any.value)');
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw invalid(where, 'operand is not valid UTF-8');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw invalid(where, `operand is not valid JSON (${(err as Error).message})`);
  }
}

/** `{"path": value}` with exactly one member and a well-formed dotted path. */
function singleMember(where: string, op: string, operand: unknown): [string, unknown, FieldCondition['segments']] {
  if (!isPlainObject(operand)) throw invalid(where, `${op} operand must be an object {"<path>": <value>}`);
  const keys = Object.keys(operand);
  if (keys.length !== 1) throw invalid(where, `${op} operand must have exactly one "<path>": <value> member, got ${keys.length}`);
  const path = keys[0] as string;
  const segments = parseFieldPath(path);
  if (segments === undefined) throw invalid(where, `${op} path ${JSON.stringify(path)} is empty or has an empty segment`);
  return [path, operand[path], segments];
}

function parseOperator(where: string, op: string, operand: unknown, depth: number): FilterNode {
  if (COMPARISONS.has(op)) {
    const [path, value, segments] = singleMember(where, op, operand);
    if (op !== 'EQ' && op !== 'NEQ' && typeof value !== 'number' && typeof value !== 'string') {
      throw invalid(where, `${op} on ${JSON.stringify(path)} needs a number or a string, got ${JSON.stringify(value)}`);
    }
    return Object.freeze({ op: op as FieldCondition['op'], path, segments, value });
  }
  if (op === 'IN') {
    const [path, values, segments] = singleMember(where, op, operand);
    if (!Array.isArray(values)) throw invalid(where, `IN on ${JSON.stringify(path)} needs an array of values`);
    if (values.length === 0) throw invalid(where, `IN on ${JSON.stringify(path)} needs at least one value`);
    return Object.freeze({ op: 'IN', path, segments, values: Object.freeze([...values]) });
  }
  if (op === 'AND' || op === 'OR') {
    // Dapr (components-contrib state/query/filter.go) requires at least two entries.
    if (!Array.isArray(operand)) throw invalid(where, `${op} operand must be an array of filters`);
    if (operand.length < 2) throw invalid(where, `${op} needs at least two filters, got ${operand.length}`);
    const filters = operand.map((unit, i) => parseFilterUnit(`${where}[${i}]`, unit, depth + 1));
    return Object.freeze({ op, filters: Object.freeze(filters) });
  }
  throw invalid(where, `unsupported operator ${JSON.stringify(op)} (expected one of ${[...OPERATORS].join(', ')})`);
}

/** A JSON filter unit: an object with exactly one operator member. */
function parseFilterUnit(where: string, unit: unknown, depth: number): FilterNode {
  if (depth > MAX_FILTER_DEPTH) throw invalid(where, `filters nest deeper than ${MAX_FILTER_DEPTH} levels`);
  if (!isPlainObject(unit)) throw invalid(where, 'a filter must be an object {"<OPERATOR>": <operand>}');
  const keys = Object.keys(unit);
  if (keys.length !== 1) throw invalid(where, `a filter must have exactly one operator, got ${keys.length}`);
  const op = keys[0] as string;
  return parseOperator(where === '' ? op : `${where}.${op}`, op, unit[op], depth);
}

/**
 * Parses `Query.filter` as daprd sends it: one entry, key = operator, value = Any whose bytes
 * are the operand's JSON. Tolerated too: one entry under any other key whose JSON is a whole
 * filter (`{"EQ": {...}}`). Empty or absent = no filter (match all).
 * Throws StateRequestError INVALID_ARGUMENT, field `query.filter`.
 */
export function parseFilter(filter: Readonly<Record<string, Any__Output>> | undefined): FilterNode | undefined {
  const keys = Object.keys(filter ?? {});
  if (keys.length === 0) return undefined;
  if (keys.length > 1) {
    // Dapr's ParseFilter: "filter unit must have a single element" (daprd checks it first).
    throw invalid('top level', `expected one top-level operator, got ${keys.length} (${keys.join(', ')}); combine them with AND`);
  }
  const key = keys[0] as string;
  const operand = decodeOperand(key, filter?.[key]);
  if (OPERATORS.has(key)) return parseOperator(key, key, operand, 1);
  if (isPlainObject(operand) && Object.keys(operand).length === 1 && OPERATORS.has(Object.keys(operand)[0] as string)) {
    return parseFilterUnit('', operand, 1);
  }
  throw invalid(key, `unsupported operator ${JSON.stringify(key)} (expected one of ${[...OPERATORS].join(', ')})`);
}
