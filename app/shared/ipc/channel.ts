import type { z } from 'zod';

/** One request/response channel: `area:verb`, with a schema for each direction and a doc line. */
export interface InvokeSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  readonly doc: string;
}
/** One push channel (engine -> renderer). */
export interface PushSpec<P extends z.ZodType = z.ZodType> {
  readonly payload: P;
  readonly doc: string;
}
export const invokeSpec = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O, doc: string): InvokeSpec<I, O> => ({ input, output, doc });
export const pushSpec = <P extends z.ZodType>(payload: P, doc: string): PushSpec<P> => ({ payload, doc });
