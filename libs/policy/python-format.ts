/**
 * The bits of Python that oslo.policy checks rely on: `match % target` substitution, `str()` of a
 * value and `ast.literal_eval` of a check's left side. Only what policy strings actually use.
 */

/** `"%(tenant_id)s" % target`; undefined where Python raises (missing key, bad format). */
export function interpolate(match: string, target: Readonly<Record<string, unknown>>): string | undefined {
  let out = '';
  let i = 0;
  while (i < match.length) {
    const pct = match.indexOf('%', i);
    if (pct < 0) return out + match.slice(i);
    out += match.slice(i, pct);
    if (match[pct + 1] === '%') {
      out += '%';
      i = pct + 2;
      continue;
    }
    const keyed = /^%\(([^)]*)\)s/.exec(match.slice(pct));
    if (!keyed || !Object.hasOwn(target, keyed[1])) return undefined;
    out += pyStr(target[keyed[1]]);
    i = pct + keyed[0].length;
  }
  return out;
}

/** Python's `str()` for the JSON-like values found in targets and credentials. */
export function pyStr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return `{${entries.map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(', ')}}`;
  }
  return String(value);
}

function pyRepr(value: unknown): string {
  return typeof value === 'string' ? `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : pyStr(value);
}

/** `ast.literal_eval` for scalar literals; undefined when the text is not a literal (a credential path). */
export function pyLiteral(text: string): { value: unknown } | undefined {
  if (text === 'True') return { value: true };
  if (text === 'False') return { value: false };
  if (text === 'None') return { value: null };
  if (/^[+-]?\d+$/.test(text)) return { value: Number(text) };
  if (/^[+-]?(\d+\.\d*|\.\d+)$/.test(text)) return { value: pyFloatStr(Number(text)) };
  const quoted = /^(['"])(.*)\1$/s.exec(text);
  if (quoted && !quoted[2].includes(quoted[1])) return { value: quoted[2].replace(/\\(.)/g, '$1') };
  return undefined;
}

// Python prints floats with a fractional part ("1.0"); keep it as the string str() would give.
function pyFloatStr(n: number): string {
  return Number.isInteger(n) ? n.toFixed(1) : String(n);
}
