import { ComponentError } from '../errors/component-error.js';
import { checkPem } from './check-pem.js';
import { parseDuration } from './duration.js';
import type { MetadataField } from './metadata-fields.js';

export type Properties = Readonly<Record<string, string | undefined>>;

/** Reads fields from metadata strings per their table entry; errors name the key, never a secret value. */
export class MetadataReader {
  private readonly byName: Map<string, MetadataField>;

  constructor(
    private readonly props: Properties,
    fields: readonly MetadataField[],
  ) {
    this.byName = new Map(fields.map((f) => [f.name, f]));
  }

  private field(name: string): MetadataField {
    const f = this.byName.get(name);
    if (!f) throw new Error(`metadata field ${name} is not declared`);
    return f;
  }

  /** The trimmed value, the default, or undefined; a required field that is empty fails. */
  raw(name: string): string | undefined {
    const f = this.field(name);
    const v = this.props[name];
    const text = v === undefined || v.trim() === '' ? f.default : v.trim();
    if (text === undefined && f.required) {
      throw new ComponentError('ERR_CONFIG_REQUIRED', `metadata field "${name}" is required`, { field: name });
    }
    return text;
  }

  private invalid(name: string, why: string, cause?: unknown): ComponentError {
    const f = this.field(name);
    const shown = f.sensitive || f.type === 'pem' ? '' : ` "${this.props[name] ?? ''}"`;
    return new ComponentError('ERR_CONFIG_INVALID', `metadata field "${name}"${shown} ${why}`, { field: name, cause });
  }

  string(name: string): string | undefined {
    return this.raw(name);
  }

  integer(name: string, min: number, max: number): number {
    const text = this.raw(name) ?? '';
    const n = Number(text);
    if (!/^-?\d+$/.test(text) || n < min || n > max) throw this.invalid(name, `must be an integer from ${min} to ${max}`);
    return n;
  }

  boolean(name: string): boolean {
    const text = (this.raw(name) ?? '').toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(text)) return true;
    if (['false', '0', 'no', 'off'].includes(text)) return false;
    throw this.invalid(name, 'must be true or false');
  }

  durationMs(name: string, minMs: number, maxMs: number): number {
    const ms = parseDuration(this.raw(name) ?? '');
    if (ms === undefined || ms < minMs || ms > maxMs) {
      throw this.invalid(name, `must be a duration such as "500ms" or "5s" from ${minMs} ms to ${maxMs} ms`);
    }
    return ms;
  }

  /** A PEM certificate (chain) or private key, checked by parsing it. */
  pem(name: string, kind: 'certificate' | 'key'): string | undefined {
    const text = this.raw(name);
    if (text === undefined) return undefined;
    try {
      return checkPem(text, kind);
    } catch (err) {
      throw this.invalid(name, `is not a valid PEM ${kind}: ${(err as Error).message}`, err);
    }
  }
}
