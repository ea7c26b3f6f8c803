import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { BadRequestError } from './errors.js';

/**
 * Passwords of console users: argon2id with the library's defaults (19 MiB, 2 passes, the
 * OWASP recommendation), computed off the event loop. Only the encoded hash is stored; it
 * carries its own parameters, so stronger settings later still verify old hashes.
 */
export const MIN_PASSWORD_LENGTH = 10;
/** argon2 takes any length; this only keeps a pasted novel from being hashed. */
export const MAX_PASSWORD_LENGTH = 1024;

/** Refuses a password too short (or absurdly long) to use, with a message that says what is needed. */
export function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH)
    throw new BadRequestError(`the password is too short: use at least ${MIN_PASSWORD_LENGTH} characters (a few words make a good one)`);
  if (password.length > MAX_PASSWORD_LENGTH) throw new BadRequestError(`the password is too long: use at most ${MAX_PASSWORD_LENGTH} characters`);
}

export async function hashPassword(password: string): Promise<string> {
  checkPassword(password);
  return hash(password);
}

/** False for a wrong password and for a stored value that is not an argon2 hash (never throws for either). */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

/** 144 random bits, URL-safe: what `gateway user create` prints when no password is given. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

let dummy: Promise<string> | undefined;

/**
 * Checks a password against a throwaway hash. Sign-in does this for a name that does not
 * exist, so "no such user" takes as long as "wrong password" and the answer time does not
 * tell which names are real.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummy ??= hash(generatePassword());
  await verifyPassword(await dummy, password);
  return false;
}
