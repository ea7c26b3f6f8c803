/**
 * One outage told by twelve customers in their own words, in English and Chinese: enough reports, alike enough, for
 * the shipped surge settings (config/gateway.yaml `incidents`) to make them one incident. Written for these tests.
 */
export const OUTAGE_REPORTS: readonly string[] = [
  'Your app crashes every time I open it since this morning.',
  'The app keeps crashing on startup, I cannot use it at all.',
  'App crashed again right after launch, what is going on?',
  'Since the update today the app just crashes when I open it.',
  'I open the app and it crashes immediately. Please fix.',
  'The mobile app is crashing constantly today.',
  'APP一打开就闪退，今天早上开始的。',
  '你们的app闪退了，根本打不开。',
  'app打开就闪退，已经试了好几次了。',
  '今天app一直闪退，怎么回事？',
  'App 闪退，无法使用，请尽快修复。',
  '升级以后app打开就闪退。',
];
