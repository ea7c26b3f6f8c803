/** Why a group message was taken in. */
export type GroupTrigger = 'mention' | 'cue';

/** The decision for one group message. */
export interface GroupDecision {
  complaint: boolean;
  trigger?: GroupTrigger;
  /** The cue that matched, as configured. */
  cue?: string;
}

/** NFKC folds full-width letters (ＲＥＦＵＮＤ) and compatibility forms into what a cue list contains. */
function fold(s: string): string {
  return s.normalize('NFKC').toLowerCase();
}

/**
 * Whether a message in a WeChat group is for us. Community groups are mostly chatter
 * between members, so a message is taken in only when it @mentions our account or
 * contains one of the complaint cues (case- and width-insensitive substring match;
 * Chinese has no word boundaries to match on).
 */
export function isGroupComplaint(input: { text: string; mentionsSelf: boolean; cues: readonly string[] }): GroupDecision {
  if (input.mentionsSelf) return { complaint: true, trigger: 'mention' };
  const text = fold(input.text);
  for (const cue of input.cues) {
    const c = fold(cue.trim());
    if (c && text.includes(c)) return { complaint: true, trigger: 'cue', cue };
  }
  return { complaint: false };
}
