import { z } from 'zod';
import { issuePaths } from '@bulwark/contracts';
import { MessagingError, MessagingErrorCodes } from '../errors/messaging-error';

/**
 * Validates a factory's options when the pipeline is built, so a bad value stops start-up with
 * the field's path instead of surfacing on the first message (possibly as a dead letter).
 */
export function parseOptions<S extends z.ZodType>(what: string, schema: S, options: unknown): z.output<S> {
  const parsed = schema.safeParse(options);
  if (parsed.success) return parsed.data;
  const fields = issuePaths(parsed.error, '(options)')
    .map((i) => `${i.path}: ${i.message}`)
    .join('; ');
  throw new MessagingError(MessagingErrorCodes.invalidOptions, `${what} options are invalid (${fields})`, false);
}

/**
 * A function, kept by reference. Ports are checked the same way (see `port`): z.object would
 * return a copy holding only own properties and lose a class instance's prototype methods.
 */
export const fn = <F extends (...args: never[]) => unknown>() =>
  z.custom<F>((v) => typeof v === 'function', { message: 'expected a function' });

export const port = <P extends object>(...methods: readonly string[]) =>
  z.custom<P>(
    (v) => typeof v === 'object' && v !== null && methods.every((m) => typeof (v as Record<string, unknown>)[m] === 'function'),
    { message: `expected an object with ${methods.map((m) => `${m}()`).join(', ')}` },
  );
