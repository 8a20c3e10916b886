import { type CheckNode, FALSE_CHECK, TRUE_CHECK } from './check-node.js';

export interface ParsedRule {
  /** The check tree; `!` (never) when the text could not be understood, as oslo.policy fails closed. */
  check: CheckNode;
  /** Why the text is wrong, empty when it parsed cleanly. */
  problems: string[];
}

/** Parses an oslo.policy rule string; never throws. */
export function parseRule(text: string): CheckNode {
  return analyzeRule(text).check;
}

/**
 * Parses like oslo.policy's `_parser`: the same tokenizer and the same greedy shift-reduce
 * reductions, so precedence (not > and > or) and the tree shape (hence the message text) match.
 */
export function analyzeRule(text: string): ParsedRule {
  const problems: string[] = [];
  if (text === '') return { check: TRUE_CHECK, problems };
  const stack: Item[] = [];
  for (const item of tokenize(text, problems)) {
    stack.push(item);
    reduce(stack);
  }
  const only = stack.length === 1 ? stack[0] : undefined;
  if (!only || !isCheckToken(only.tok)) {
    problems.push(`cannot parse rule "${text}"`);
    return { check: FALSE_CHECK, problems };
  }
  return { check: only.value as CheckNode, problems };
}

type Tok = '(' | ')' | 'and' | 'or' | 'not' | 'string' | 'check' | 'and_expr' | 'or_expr';

interface Item {
  tok: Tok;
  value: CheckNode | string;
}

function isCheckToken(tok: Tok): boolean {
  return tok === 'check' || tok === 'and_expr' || tok === 'or_expr';
}

type Reduction = (values: Array<CheckNode | string>) => Item;

const wrap: Reduction = (v) => ({ tok: 'check', value: v[1] as CheckNode });

const REDUCTIONS: Array<[Tok[], Reduction]> = [
  [['(', 'check', ')'], wrap],
  [['(', 'and_expr', ')'], wrap],
  [['(', 'or_expr', ')'], wrap],
  [['check', 'and', 'check'], (v) => andExpr([v[0] as CheckNode, v[2] as CheckNode])],
  [['or_expr', 'and', 'check'], (v) => mixOrAnd(v[0] as CheckNode, v[2] as CheckNode)],
  [['and_expr', 'and', 'check'], (v) => andExpr([...children(v[0] as CheckNode), v[2] as CheckNode])],
  [['check', 'or', 'check'], (v) => orExpr([v[0] as CheckNode, v[2] as CheckNode])],
  [['and_expr', 'or', 'check'], (v) => orExpr([v[0] as CheckNode, v[2] as CheckNode])],
  [['or_expr', 'or', 'check'], (v) => orExpr([...children(v[0] as CheckNode), v[2] as CheckNode])],
  [['not', 'check'], (v) => ({ tok: 'check', value: { type: 'not', rule: v[1] as CheckNode } })],
];

function andExpr(rules: CheckNode[]): Item {
  return { tok: 'and_expr', value: { type: 'and', rules } };
}

function orExpr(rules: CheckNode[]): Item {
  return { tok: 'or_expr', value: { type: 'or', rules } };
}

function children(node: CheckNode): CheckNode[] {
  return node.type === 'and' || node.type === 'or' ? node.rules : [node];
}

// "A or B and C": the last operand of the "or" takes the "and", which gives "and" precedence.
function mixOrAnd(orNode: CheckNode, check: CheckNode): Item {
  const rules = children(orNode);
  const last = rules[rules.length - 1];
  const joined: CheckNode =
    last.type === 'and' ? { type: 'and', rules: [...last.rules, check] } : { type: 'and', rules: [last, check] };
  return orExpr([...rules.slice(0, -1), joined]);
}

function reduce(stack: Item[]): void {
  for (;;) {
    const match = REDUCTIONS.find(([pattern]) => endsWith(stack, pattern));
    if (!match) return;
    const [pattern, reduction] = match;
    const taken = stack.splice(stack.length - pattern.length, pattern.length);
    stack.push(reduction(taken.map((i) => i.value)));
  }
}

function endsWith(stack: Item[], pattern: Tok[]): boolean {
  if (stack.length < pattern.length) return false;
  const offset = stack.length - pattern.length;
  return pattern.every((tok, i) => stack[offset + i].tok === tok);
}

function* tokenize(text: string, problems: string[]): Generator<Item> {
  for (const raw of text.split(/\s+/)) {
    if (!raw) continue;
    const afterOpen = raw.replace(/^\(+/, '');
    for (let i = 0; i < raw.length - afterOpen.length; i++) yield { tok: '(', value: '(' };
    if (!afterOpen) continue;
    const clean = afterOpen.replace(/\)+$/, '');
    const lowered = clean.toLowerCase();
    if (lowered === 'and' || lowered === 'or' || lowered === 'not') {
      yield { tok: lowered, value: clean };
    } else if (clean) {
      // oslo tests the quotes on the token before its trailing parens are removed.
      if (afterOpen.length >= 2 && isQuote(afterOpen[0]) && afterOpen[0] === afterOpen[afterOpen.length - 1]) {
        problems.push(`quoted string ${afterOpen} is not a check`);
        yield { tok: 'string', value: afterOpen.slice(1, -1) };
      } else {
        yield { tok: 'check', value: parseCheck(clean, problems) };
      }
    }
    for (let i = 0; i < afterOpen.length - clean.length; i++) yield { tok: ')', value: ')' };
  }
}

function isQuote(ch: string): boolean {
  return ch === '"' || ch === "'";
}

function parseCheck(text: string, problems: string[]): CheckNode {
  if (text === '!') return FALSE_CHECK;
  if (text === '@') return TRUE_CHECK;
  const colon = text.indexOf(':');
  if (colon < 0) {
    problems.push(`"${text}" is not a check (expected KIND:MATCH, @ or !)`);
    return FALSE_CHECK;
  }
  const kind = text.slice(0, colon);
  const match = text.slice(colon + 1);
  switch (kind) {
    case 'rule':
      return { type: 'rule', name: match };
    case 'role':
      return { type: 'role', match };
    case 'tenant_id':
      return parseOwnerCheck(text, match, problems);
    case 'field':
      return parseFieldCheck(text, match, problems);
    case 'http':
    case 'https':
      problems.push(`"${text}": remote ${kind} checks are not supported`);
      return FALSE_CHECK;
    default:
      return { type: 'generic', key: kind, match };
  }
}

function parseOwnerCheck(text: string, match: string, problems: string[]): CheckNode {
  const field = /^%\((.*)\)s$/.exec(match)?.[1];
  if (field === undefined) {
    problems.push(`"${text}": tenant_id checks must match a target field, as in tenant_id:%(field)s`);
    return FALSE_CHECK;
  }
  return { type: 'owner', targetField: field, match };
}

function parseFieldCheck(text: string, match: string, problems: string[]): CheckNode {
  const colon = match.indexOf(':');
  const eq = match.indexOf('=', colon + 1);
  if (colon < 0 || eq < 0) {
    problems.push(`"${text}": field checks look like field:RESOURCE:FIELD=VALUE`);
    return FALSE_CHECK;
  }
  const value = match.slice(eq + 1);
  if (value.startsWith('~')) {
    try {
      new RegExp(value.slice(1));
    } catch {
      problems.push(`"${text}": invalid regular expression`);
      return FALSE_CHECK;
    }
  }
  return { type: 'field', resource: match.slice(0, colon), field: match.slice(colon + 1, eq), value };
}
