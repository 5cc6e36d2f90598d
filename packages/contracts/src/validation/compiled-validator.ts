import { defaultMetadataStorage } from 'class-transformer/cjs/storage.js';
import { getMetadataStorage, ValidationTypes, type ValidationArguments } from 'class-validator';

/**
 * A fast pass/fail check built once per class from the class's own class-validator and
 * class-transformer metadata, calling each decorator's own constraint (`isString`, `min`, …) so the
 * rules are class-validator's, not a copy. It skips class-validator's per-call metadata lookup and
 * class-transformer's copying, which cost ~40 µs per event on the bus's hot path.
 *
 * It answers only "valid"; callers run class-validator itself to explain a failure, and a class
 * using anything this does not model (groups, async or `@Transform`, …) gets no compiled check.
 * A differential test holds it to class-validator's verdict.
 */
export type CompiledCheck = (value: object) => boolean;

type Constraint = {
  validate(value: unknown, args: ValidationArguments): boolean | Promise<boolean>;
};

interface PropertyPlan {
  name: string;
  conditions: Array<(object: object, value: unknown) => boolean>;
  custom: Array<{
    constraint: Constraint;
    each: boolean;
    constraints: unknown[];
    validateIf?: (o: object, v: unknown) => boolean;
    /** Source of a test that passes only values the constraint passes (see FAST_PATHS). */
    fast?: FastPath;
  }>;
  nested?: CompiledCheck;
  nestedClass?: new () => object;
  /** Reused for every call (checks are synchronous), so a check allocates nothing. */
  args: ValidationArguments;
}

/** Source of a test of `x` (`k`: the rule's constraints array) for a given rule, or none. */
type FastPath = (x: string, k: string) => string;

/**
 * Inline tests for class-validator's common built-in rules, keyed by its rule names. Each accepts
 * only values the rule accepts (most accept exactly those), so a payload that passes them needs no
 * call into class-validator; anything they reject is still asked of the rule itself. `maxLength`
 * matters most: the rule runs two regular expressions per string to count surrogate pairs, and a
 * string no longer than the limit in UTF-16 units is within it however they are counted.
 */
const FAST_PATHS: Record<string, (constraints: unknown[]) => FastPath | undefined> = {
  isString: () => (x) => `typeof ${x} === 'string'`,
  isNotEmpty: () => (x) => `(${x} !== '' && ${x} !== null && ${x} !== undefined)`,
  isInt: () => (x) => `Number.isInteger(${x})`,
  isBoolean: () => (x) => `typeof ${x} === 'boolean'`,
  isArray: () => (x) => `Array.isArray(${x})`,
  isObject: () => (x) => `(${x} !== null && typeof ${x} === 'object' && !Array.isArray(${x}))`,
  isNumber: ([options]) =>
    (options as { maxDecimalPlaces?: number } | undefined)?.maxDecimalPlaces === undefined
      ? (x) => `(typeof ${x} === 'number' && Number.isFinite(${x}))`
      : undefined,
  min: ([bound]) =>
    typeof bound === 'number' ? (x, k) => `(typeof ${x} === 'number' && ${x} >= ${k}[0])` : undefined,
  max: ([bound]) =>
    typeof bound === 'number' ? (x, k) => `(typeof ${x} === 'number' && ${x} <= ${k}[0])` : undefined,
  maxLength: ([bound]) =>
    typeof bound === 'number' ? (x, k) => `(typeof ${x} === 'string' && ${x}.length <= ${k}[0])` : undefined,
  arrayMaxSize: ([bound]) =>
    typeof bound === 'number' ? (x, k) => `(Array.isArray(${x}) && ${x}.length <= ${k}[0])` : undefined,
  // Strict equality as the rule uses; `includes` alone would also take NaN.
  isIn: ([values]) =>
    Array.isArray(values) ? (x, k) => `(${x} === ${x} && ${k}[0].includes(${x}))` : undefined,
};

const TRANSFORM_TYPES = [0, 1, 2]; // class-transformer's TransformationType values

const compiled = new WeakMap<object, CompiledCheck | null>();

export function compiledCheckFor(cls: new () => object): CompiledCheck | null {
  if (compiled.has(cls)) return compiled.get(cls)!;
  compiled.set(cls, null); // guards recursion; replaced below
  const check = build(cls);
  compiled.set(cls, check);
  return check;
}

function build(cls: new () => object): CompiledCheck | null {
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(cls, '', false, false);
  if (metadatas.length === 0) return null;
  if (
    defaultMetadataStorage.getExposedMetadatas(cls).length > 0 ||
    defaultMetadataStorage.getExcludedMetadatas(cls).length > 0 ||
    defaultMetadataStorage.getStrategy(cls) !== 'none'
  ) {
    return null;
  }
  const grouped = storage.groupByPropertyName(metadatas);
  const plans: PropertyPlan[] = [];
  for (const [name, list] of Object.entries(grouped)) {
    if (TRANSFORM_TYPES.some((t) => defaultMetadataStorage.findTransformMetadatas(cls, name, t).length > 0))
      return null;
    const plan: PropertyPlan = {
      name,
      conditions: [],
      custom: [],
      args: { targetName: '', property: name, object: {}, value: undefined, constraints: [] },
    };
    for (const metadata of list) {
      if (metadata.groups?.length || metadata.always !== undefined || metadata.context) return null;
      switch (metadata.type) {
        case ValidationTypes.CONDITIONAL_VALIDATION:
          plan.conditions.push(metadata.constraints[0] as (o: object, v: unknown) => boolean);
          break;
        case ValidationTypes.CUSTOM_VALIDATION: {
          const constraints = storage.getTargetValidatorConstraints(metadata.constraintCls);
          for (const c of constraints) {
            if (c.async) return null;
            const validateIf = (metadata as { validateIf?: (o: object, v: unknown) => boolean }).validateIf;
            const fast = metadata.name ? FAST_PATHS[metadata.name]?.(metadata.constraints ?? []) : undefined;
            plan.custom.push({
              constraint: c.instance as Constraint,
              each: Boolean(metadata.each),
              constraints: metadata.constraints,
              ...(validateIf ? { validateIf } : {}),
              ...(fast ? { fast } : {}),
            });
          }
          break;
        }
        case ValidationTypes.NESTED_VALIDATION: {
          const type = defaultMetadataStorage.findTypeMetadata(cls, name);
          const nestedClass = type?.typeFunction() as (new () => object) | undefined;
          if (!nestedClass || plan.nested) return null;
          const nested = compiledCheckFor(nestedClass);
          if (!nested) return null;
          plan.nested = nested;
          plan.nestedClass = nestedClass;
          break;
        }
        default:
          return null; // isDefined, whitelist, promise validation: leave to class-validator
      }
    }
    plans.push(plan);
  }
  return generate(plans);
}

/**
 * Writes the plans out as one function with a call site per rule. Each site then sees a single
 * constraint class, which V8 inlines; one shared loop over all rules calls ~60 different validators
 * from one site per payload and cannot (measured: ~3x slower). Only indices and property names
 * (JSON-quoted) go into the source; every function called is the decorator's own.
 */
function generate(plans: PropertyPlan[]): CompiledCheck {
  const lines: string[] = ['let v, a;'];
  plans.forEach((plan, p) => {
    lines.push(
      `v = hasOwn.call(o, ${JSON.stringify(plan.name)}) ? o[${JSON.stringify(plan.name)}] : undefined;`,
    );
    lines.push(`p${p}: {`);
    plan.conditions.forEach((_, c) => lines.push(`if (!P[${p}].conditions[${c}](o, v)) break p${p};`));
    if (plan.custom.length) lines.push(`a = P[${p}].args; a.object = o; a.value = v;`);
    plan.custom.forEach((rule, r) => {
      const ref = `P[${p}].custom[${r}]`;
      const k = `${ref}.constraints`;
      const test = (x: string) =>
        rule.fast
          ? `(${rule.fast(x, k)} || ${ref}.constraint.validate(${x}, a) === true)`
          : `${ref}.constraint.validate(${x}, a) === true`;
      const call = rule.each
        ? `(Array.isArray(v) || v instanceof Set || v instanceof Map ? everyItem(v, (item) => ${test('item')}) : ${test('v')})`
        : test('v');
      lines.push(`a.constraints = ${ref}.constraints;`);
      lines.push(`if (${rule.validateIf ? `${ref}.validateIf(o, v) && ` : ''}!${call}) return false;`);
    });
    if (plan.nested) lines.push(`if (v !== undefined && !checkNested(v, P[${p}].nested)) return false;`);
    lines.push('}');
  });
  lines.push('return true;');
  const factory = new Function(
    'P',
    'hasOwn',
    'everyItem',
    'checkNested',
    `return function check(o) {\n${lines.join('\n')}\n};`,
  ) as (...args: unknown[]) => CompiledCheck;
  return factory(plans, Object.prototype.hasOwnProperty, everyItem, checkNested);
}

// Mirrors class-validator's nested rules on what class-transformer would have built: arrays are
// checked item by item (undefined items pass), plain objects against the @Type class, and anything
// else fails.
function checkNested(value: unknown, nested: CompiledCheck): boolean {
  if (Array.isArray(value) || value instanceof Set || value instanceof Map) {
    return everyItem(value, (item) => {
      if (item === undefined) return true;
      if (Array.isArray(item) || item instanceof Set || item instanceof Map) return checkNested(item, nested);
      return isPlainObject(item) && nested(item);
    });
  }
  return isPlainObject(value) && nested(value);
}

// class-transformer copies arrays with forEach, so holes in a sparse array are skipped.
function everyItem(
  value: unknown[] | Set<unknown> | Map<unknown, unknown>,
  test: (item: unknown) => boolean,
): boolean {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (i in value && !test(value[i])) return false;
    return true;
  }
  for (const item of value instanceof Map ? value.values() : value) if (!test(item)) return false;
  return true;
}

function isPlainObject(value: unknown): value is object {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  // A root prototype from any realm (JSON.parse, structuredClone, another VM context) is plain.
  return proto === null || Object.getPrototypeOf(proto) === null || isContractsInstance(value);
}

// Instances of the payload classes themselves (a handler republishing what it received) count as
// the plain objects they were built from.
function isContractsInstance(value: object): boolean {
  return getMetadataStorage().getTargetValidationMetadatas(value.constructor, '', false, false).length > 0;
}

const nestedKeys = new WeakMap<object, Array<[string, new () => object]>>();

/** The properties of `cls` that class-transformer would build as nested instances (@Type), once. */
function nestedKeysOf(cls: new () => object): Array<[string, new () => object]> {
  let list = nestedKeys.get(cls);
  if (!list) {
    const names = new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(cls, '', false, false)
        .map((m) => m.propertyName),
    );
    list = [...names].flatMap((name): Array<[string, new () => object]> => {
      const type = defaultMetadataStorage.findTypeMetadata(cls, name)?.typeFunction() as
        (new () => object) | undefined;
      return type ? [[name, type]] : [];
    });
    nestedKeys.set(cls, list);
  }
  return list;
}

/** Builds a class instance (nested ones too) from an already validated plain object, sharing leaves. */
export function instantiate<T extends object>(cls: new () => T, plain: object): T {
  const instance = new cls() as Record<string, unknown>;
  if (Object.prototype.hasOwnProperty.call(plain, '__proto__')) {
    // JSON can carry a "__proto__" key; copied by assignment it would replace the prototype.
    for (const [key, value] of Object.entries(plain))
      Object.defineProperty(instance, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    Object.assign(instance, plain);
  }
  for (const [key, type] of nestedKeysOf(cls)) {
    const value = instance[key];
    if (value === null || typeof value !== 'object') continue;
    instance[key] = Array.isArray(value)
      ? value.map((item: unknown) =>
          item !== null && typeof item === 'object' ? instantiate(type, item) : item,
        )
      : instantiate(type, value);
  }
  return instance as T;
}
