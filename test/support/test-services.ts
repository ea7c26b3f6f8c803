/**
 * What a test says when a system service it needs (dovecot, Chromium) is missing. It names a
 * file in this repository only: whoever cloned it has that script and nothing beside it.
 */
export function missingServiceMessage(what: string): string {
  return `${what}: run scripts/install-test-services.sh (see README, Tests)`;
}
