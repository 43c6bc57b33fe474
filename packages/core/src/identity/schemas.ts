import { z } from 'zod';
import { USER_LIMITS } from '../kernel/limits.ts';
import { plainText } from '../kernel/text.ts';
import { COMMON_PASSWORDS } from './common-passwords.ts';
import { imitatesStaff } from './staff-names.ts';

/** Limits on what users type, named once (those the browser's forms need come from `kernel/limits.ts`). */
export const LIMITS = {
  ...USER_LIMITS,
  usernameMin: 3,
  usernameMax: 24,
  passwordMin: 10,
  passwordMax: 128,
  emailMax: 254,
  urlMax: 2048,
  minimumAgeToRegister: 13,
  adultAge: 18,
} as const;

export const usernameSchema = z
  .string()
  .trim()
  .min(LIMITS.usernameMin, `Username must be at least ${LIMITS.usernameMin} characters.`)
  .max(LIMITS.usernameMax, `Username must be at most ${LIMITS.usernameMax} characters.`)
  .regex(/^[A-Za-z0-9_]+$/, 'Username can only use letters, digits and underscores.')
  .transform((value) => value.toLowerCase());

/** The last username of a page of users, as the previous page returned it. */
export const usernameCursorSchema = z
  .string()
  .regex(/^[a-z0-9_]{1,24}$/, 'That page cursor is not valid; start from the first page.')
  .nullish();

export const emailSchema = z
  .string()
  .trim()
  .max(LIMITS.emailMax, 'Email address is too long.')
  .pipe(z.email('Enter a valid email address.'))
  .transform((value) => value.toLowerCase());

export const passwordSchema = z
  .string()
  .min(LIMITS.passwordMin, `Password must be at least ${LIMITS.passwordMin} characters.`)
  .max(LIMITS.passwordMax, `Password must be at most ${LIMITS.passwordMax} characters.`)
  .refine(
    (value) => !COMMON_PASSWORDS.has(value.toLowerCase()),
    'This password is too common; choose another.',
  )
  .refine(
    (value) => new Set(value).size >= 4,
    'Password needs more variety (at least 4 different characters).',
  );

export const dateOfBirthSchema = z.iso
  .date('Date of birth must be a date like 1990-04-25.')
  .refine((value) => {
    const year = Number(value.slice(0, 4));
    return year >= 1900 && new Date(`${value}T00:00:00Z`).getTime() <= Date.now();
  }, 'Date of birth must be a real date in the past.');

export const registerInput = z.object({
  /** Names that read as staff are for staff accounts, which are not made by signing up. */
  username: usernameSchema.refine(
    (username) => !imitatesStaff(username),
    'That username is kept for Lumen staff; choose another.',
  ),
  email: emailSchema,
  password: passwordSchema,
  dateOfBirth: dateOfBirthSchema,
});
export type RegisterInput = z.infer<typeof registerInput>;

export const loginInput = z.object({
  login: plainText({
    label: 'Your username or email',
    min: 1,
    max: LIMITS.emailMax,
    messages: { empty: 'Enter your username or email.', tooLong: 'That login is too long.' },
  }),
  password: z.string().min(1, 'Enter your password.').max(LIMITS.passwordMax, 'That password is too long.'),
  app: z.enum(['web', 'admin']).default('web'),
});
export type LoginInput = z.infer<typeof loginInput>;

export const changePasswordInput = z.object({
  currentPassword: z.string().min(1, 'Enter your current password.').max(LIMITS.passwordMax),
  newPassword: passwordSchema,
});
export type ChangePasswordInput = z.infer<typeof changePasswordInput>;

export const verifyAgeInput = z.object({
  dateOfBirth: dateOfBirthSchema,
  attest: z.literal(true, 'Confirm that you are 18 or older.'),
});
export type VerifyAgeInput = z.infer<typeof verifyAgeInput>;

export const becomeStreamerInput = z.object({
  acceptTerms: z.literal(true, 'Accept the streamer terms to continue.'),
  pitch: plainText({
    label: 'Your pitch',
    max: LIMITS.pitchMax,
    multiline: true,
    messages: { tooLong: `Tell us in at most ${LIMITS.pitchMax} characters.` },
  }).optional(),
});
export type BecomeStreamerInput = z.infer<typeof becomeStreamerInput>;

/** Whole years between `dateOfBirth` (YYYY-MM-DD) and `today`. */
export function ageOn(dateOfBirth: string, today: Date): number {
  const [year, month, day] = dateOfBirth.split('-').map(Number) as [number, number, number];
  let age = today.getUTCFullYear() - year;
  const beforeBirthday =
    today.getUTCMonth() + 1 < month || (today.getUTCMonth() + 1 === month && today.getUTCDate() < day);
  if (beforeBirthday) age -= 1;
  return age;
}
