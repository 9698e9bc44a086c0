import { z } from 'zod';
import { limits } from '../limits.ts';
import { email, isoDate, namePart, password } from './common.ts';

/** A username: letters, digits, dot, dash, underscore. */
export const username = z
  .string()
  .trim()
  .min(limits.usernameMinLength)
  .max(limits.usernameMaxLength)
  .regex(/^[A-Za-z0-9._-]+$/, 'Use letters, digits, dots, dashes or underscores.');

const account = { username, email, password };

/** POST /api/signup: prove who you are (activation code, or legal name + birth date + MRN) and choose credentials. */
export const signUpBody = z.discriminatedUnion('method', [
  z.object({
    method: z.literal('activation_code'),
    activationCode: z.string().trim().min(4).max(64),
    birthDate: isoDate,
    ...account,
  }),
  z.object({
    method: z.literal('demographics'),
    givenName: namePart,
    familyName: namePart,
    birthDate: isoDate,
    mrn: z.string().trim().min(1).max(limits.mrnMaxLength),
    ...account,
  }),
]);
/** Sign-up input. */
export type SignUpBody = z.infer<typeof signUpBody>;

/** The answer to sign-up: the account waits for the email link. */
export const signUpResponse = z.object({ status: z.literal('verification_sent'), email: z.string() });

/** POST /api/signup/verify-email; the token comes from the link's fragment. */
export const verifyEmailBody = z.object({ token: z.string().min(20).max(200) });

/** POST /api/signup/resend-verification */
export const resendVerificationBody = z.object({ email });
