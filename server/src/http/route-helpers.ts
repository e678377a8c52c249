import { z, type RouteConfig } from '@hono/zod-openapi';
import { ErrorSchema } from './schemas.js';

/** Request body that must be present and JSON. */
export function jsonBody<T extends z.ZodTypeAny>(schema: T) {
  return { content: { 'application/json': { schema } }, required: true } as const;
}

export function json<T extends z.ZodTypeAny>(schema: T, description: string) {
  return { content: { 'application/json': { schema } }, description } as const;
}

const errorContent = { content: { 'application/json': { schema: ErrorSchema } } } as const;

/** The error answers every secret-key route can give. */
export const commonErrors = {
  400: { ...errorContent, description: 'Invalid request' },
  401: { ...errorContent, description: 'Missing or invalid secret key' },
  404: { ...errorContent, description: 'Not found (also for objects of other orgs or environments)' },
} satisfies RouteConfig['responses'];

export const conflictError = {
  409: { ...errorContent, description: 'Conflicts with current state' },
} as const;

export const secretKeySecurity = [{ secretKey: [] }];

export const idParam = (name: string) =>
  z.object({
    id: z
      .string()
      .min(1)
      .max(64)
      .openapi({ param: { name, in: 'path' } }),
  });

export function nextCursor<T>(items: T[], limit: number, cursorOf: (item: T) => string): string | null {
  return items.length === limit && items.length > 0 ? cursorOf(items[items.length - 1]!) : null;
}
