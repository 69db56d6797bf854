import { z } from 'zod';
import { issuePaths, type MessageDeclaration, type TopicDeclaration } from '@bulwark/contracts';
import { PermanentError } from '../errors/handler-errors';
import type { Middleware } from '../ports/subscriber.port';
import { parseOptions, port } from './parse-options';

export const SchemaValidationErrorCodes = {
  /** The type is declared on the topic but the version or the data does not match its schema. */
  schemaInvalid: 'BLW_SCHEMA_INVALID',
  /** Nothing of that type is declared on the topic (or the topic is not among the declarations). */
  unknownMessageType: 'BLW_UNKNOWN_MESSAGE_TYPE',
} as const;

export interface SchemaValidationOptions {
  /** The declarations of every topic the subscription reads, from libs/contracts. */
  readonly topics: readonly TopicDeclaration[];
}

const optionsSchema = z
  .object({
    topics: z.array(
      z.object({
        name: z.string().min(1),
        messages: z.record(
          z.string(),
          z.object({
            type: z.string().min(1),
            version: z.number().int().positive(),
            schema: port<z.ZodType>('safeParse'),
          }),
        ),
      }),
    ),
  })
  .superRefine(({ topics }, ctx) => {
    const names = new Set<string>();
    topics.forEach((topic, i) => {
      // Two declarations of one topic would make the lookup below depend on their order.
      if (names.has(topic.name)) ctx.addIssue({ code: 'custom', path: ['topics', i, 'name'], message: 'declared twice' });
      names.add(topic.name);
      const seen = new Set<string>();
      for (const [name, m] of Object.entries(topic.messages)) {
        const id = `${m.type}@${m.version}`;
        if (seen.has(id)) {
          ctx.addIssue({
            code: 'custom',
            path: ['topics', i, 'messages', name],
            message: `${m.type} v${m.version} declared twice`,
          });
        }
        seen.add(id);
      }
    });
  });

/**
 * Rejects what a handler must never see: a message type the topic does not declare, a version
 * nobody declared, or data that does not satisfy its schema. Each is permanent (retrying the
 * same bytes cannot help), so the dead-letter middleware takes it and the partition moves on.
 *
 * The producer validated the same schema (newEnvelope), so failures here mean a producer that
 * bypassed it, an older or newer deployment, or hand-written bytes. Schemas must accept their
 * own output (no one-way transforms), because here the producer's output is parsed again.
 */
export function schemaValidation(options: SchemaValidationOptions): Middleware {
  const { topics } = parseOptions('schemaValidation', optionsSchema, options);
  // topic -> type -> declarations of that type (one per version)
  const index = new Map<string, Map<string, MessageDeclaration[]>>();
  for (const topic of topics) {
    const byType = new Map<string, MessageDeclaration[]>();
    for (const m of Object.values(topic.messages)) byType.set(m.type, [...(byType.get(m.type) ?? []), m]);
    index.set(topic.name, byType);
  }

  return (next) => async (delivery) => {
    const { envelope, topic } = delivery;
    const versions = index.get(topic)?.get(envelope.type);
    if (!versions) {
      const declared = [...(index.get(topic)?.keys() ?? [])];
      throw new PermanentError(
        SchemaValidationErrorCodes.unknownMessageType,
        `${envelope.type} is not declared on ${topic} (declared: ${declared.length > 0 ? declared.join(', ') : 'nothing'})`,
      );
    }
    const declaration = versions.find((m) => m.version === envelope.version);
    if (!declaration) {
      throw new PermanentError(
        SchemaValidationErrorCodes.schemaInvalid,
        `${envelope.type} v${envelope.version} is not declared on ${topic} (fields: version; declared: ` +
          `${versions.map((m) => `v${m.version}`).join(', ')})`,
      );
    }
    const parsed = declaration.schema.safeParse(envelope.data);
    if (!parsed.success) {
      const fields = issuePaths(parsed.error, '')
        .map((i) => (i.path ? `data.${i.path}` : 'data'))
        .join(', ');
      throw new PermanentError(
        SchemaValidationErrorCodes.schemaInvalid,
        `${envelope.type} v${envelope.version} on ${topic} has invalid data (fields: ${fields})`,
        { cause: parsed.error },
      );
    }
    await next(delivery);
  };
}
