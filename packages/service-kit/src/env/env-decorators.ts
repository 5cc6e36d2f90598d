import { Transform } from 'class-transformer';

/** Environment strings → numbers (`"3000"` → 3000); anything unparseable stays a string so validation names it. */
export function EnvNumber(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return value;
    const n = Number(value);
    return Number.isNaN(n) ? value : n;
  });
}

/** `true/false/1/0/yes/no` → boolean; anything else stays a string so validation names it. */
export function EnvBoolean(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return value;
    const v = value.toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(v)) return true;
    if (['false', '0', 'no', 'off'].includes(v)) return false;
    return value;
  });
}

/** `a, b ,c` → `['a', 'b', 'c']`. */
export function EnvList(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : value,
  );
}
