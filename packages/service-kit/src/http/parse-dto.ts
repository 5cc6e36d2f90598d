import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ApiError } from './api-error.js';

/**
 * Validates plain input (form fields, query strings) into `cls` — the same rules the
 * ValidationPipe applies to JSON bodies — or answers 400 naming every bad field.
 */
export function parseDto<T extends object>(
  cls: new () => T,
  plain: Record<string, unknown>,
  options: { forbidUnknown?: boolean } = {},
): T {
  const value = plainToInstance(cls, plain);
  const errors = validateSync(value, {
    forbidUnknownValues: true,
    whitelist: true,
    forbidNonWhitelisted: options.forbidUnknown ?? false,
  });
  if (errors.length > 0) {
    const details = errors.flatMap((e) => Object.values(e.constraints ?? {}));
    throw new ApiError(400, 'invalid_fields', `invalid fields: ${details.join('; ')}`, details);
  }
  return value;
}
