/**
 * Removes quoted history and signatures from the plain text of a reply, keeping what
 * the customer wrote. Pure. Handles English and Chinese (simplified and traditional)
 * reply headers, Outlook/Foxmail/QQ header blocks, "-- " signatures and mobile footers.
 *
 * Modelled on github/email_reply_parser: inline replies (the customer's text between
 * quoted lines) are kept together with the quotes they answer; only quoted text and
 * signatures after the customer's last own line are dropped.
 */
export function stripQuotedReply(input: string): string {
  let lines = input.replace(/\r\n?/g, '\n').split('\n');
  lines = joinWrappedOnWroteHeaders(lines);

  // 1. Hard cuts: history blocks whose old text is not '>'-quoted (Outlook, QQ, Foxmail,
  //    Chinese "写道：" headers), so everything after them is old mail.
  const cut = findHardCut(lines);
  if (cut >= 0) lines = lines.slice(0, cut);

  // 2. "On … wrote:" headers followed by '>' quotes: if the customer wrote nothing of
  //    their own below the header, drop the header and everything after it.
  for (let i = 0; i < lines.length; i++) {
    if (!isWroteHeader(lines[i]!)) continue;
    const rest = lines.slice(i + 1);
    // Text below a "-- " delimiter is the signature, not something the customer wrote in reply.
    const sig = rest.findIndex((l) => isSignatureDelimiter(l));
    const body = sig >= 0 ? rest.slice(0, sig) : rest;
    if (!body.some((l) => isOwnContent(l))) {
      lines = lines.slice(0, i);
      break;
    }
  }

  // 3. Drop trailing quoted lines and signatures, repeatedly (a signature can sit above a quote).
  for (;;) {
    const before = lines.length;
    lines = dropTrailingQuotes(lines);
    lines = dropSignature(lines);
    lines = trimTrailingBlank(lines);
    if (lines.length === before) break;
  }
  return lines
    .join('\n')
    .replace(/^\s*\n/, '')
    .trimEnd();
}

/** A line the customer wrote (not blank, not quoted, not a signature marker). */
function isOwnContent(line: string): boolean {
  const t = line.trim();
  if (!t) return false;
  if (t.startsWith('>')) return false;
  if (isSignatureDelimiter(line) || isMobileFooter(t)) return false;
  return true;
}

const EN_WROTE = /^\s*On\s.{1,300}\swrote:\s*$/;
const EN_WROTE_GLUED = /^\s*On\s.{1,300}>wrote:\s*$/; // Gmail: "<notifications@github.com>wrote:" with no space.
const OTHER_WROTE = [
  /^\s*Am\s.{1,300}schrieb.{0,80}:\s*$/, // German
  /^\s*Le\s.{1,300}a écrit\s*:\s*$/, // French
];

function isWroteHeader(line: string): boolean {
  return EN_WROTE.test(line) || EN_WROTE_GLUED.test(line) || OTHER_WROTE.some((r) => r.test(line));
}

/**
 * Clients wrap a long "On <date>, <name> <addr> wrote:" over two or three lines. Join
 * them so the header is recognised. Only a line starting with "On " followed by at most
 * two non-blank lines, the last ending in "wrote:", is joined: "On your remote host…"
 * several paragraphs above a real header must stay apart (greedy_on fixture).
 */
function joinWrappedOnWroteHeaders(lines: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*On\s/.test(line) && line.length < 400 && !/wrote:\s*$/.test(line)) {
      let joined = line;
      let j = i + 1;
      let found = false;
      for (; j < lines.length && j <= i + 2; j++) {
        const next = lines[j]!;
        if (!next.trim() || next.trim().startsWith('>') || next.length > 300) break;
        joined += ' ' + next.trim();
        if (/wrote:\s*$/.test(next)) {
          found = true;
          break;
        }
      }
      if (found) {
        out.push(joined);
        i = j;
        continue;
      }
    }
    out.push(line);
  }
  return out;
}

// Separator lines some clients put above the old mail.
const SEPARATORS = [
  /^\s*-{2,}\s*(Original Message|原始邮件|原始郵件|原始訊息|原邮件|Reply Message|回复的原邮件)\s*-{2,}\s*$/i,
  // QQ mail / Foxmail: "------------------ 原始邮件 ------------------"
  /^\s*-{3,}\s*(原始邮件|原始郵件|Original)\s*-{3,}\s*$/i,
];
// First line of an Outlook-style header block ("From: …", "*From:* …", "发件人: …").
const BLOCK_FROM = /^\s*\*?\s*(From|发件人|發件人|寄件者|寄件人)\s*\*?\s*[:：]\s*\*?\s*\S/i;
// Further lines of such a block.
const BLOCK_FIELD =
  /^\s*\*?\s*(Sent|Date|To|Cc|Subject|发送时间|發送時間|发送日期|日期|时间|時間|收件人|收件者|抄送|副本|主题|主題|主旨|寄件日期|傳送時間)\s*\*?\s*[:：]/i;
// Chinese reply headers: "在 2024年3月1日 10:00，张三 <a@b.com> 写道：", Gmail "张三 <a@b.com> 于2024年3月1日周五 10:23写道：",
// traditional "於 2024年3月1日 週五 上午10:23 寫道：". Chinese clients rarely '>'-quote, so these cut hard.
const ZH_WROTE = /^\s*.{0,300}(写道|寫道)\s*[:：]\s*$/;

function findHardCut(lines: string[]): number {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length > 1000) continue; // pathological lines (a 10k-character '>>>>' line) are never headers
    if (SEPARATORS.some((r) => r.test(line))) return i;
    if (ZH_WROTE.test(line) && !line.trim().startsWith('>')) return i;
    if (BLOCK_FROM.test(line)) {
      // Outlook: at least one more header field within the next few lines.
      for (let j = i + 1; j < Math.min(lines.length, i + 6); j++) {
        if (BLOCK_FIELD.test(lines[j]!)) return withPrecedingRule(lines, i);
      }
    }
  }
  return -1;
}

/** Include a rule of underscores or dashes (Outlook's "________") directly above the header block. */
function withPrecedingRule(lines: string[], i: number): number {
  let k = i;
  while (k > 0 && (/^\s*$/.test(lines[k - 1]!) || /^\s*[_\-=]{5,}\s*$/.test(lines[k - 1]!))) k--;
  return k;
}

function dropTrailingQuotes(lines: string[]): string[] {
  let end = lines.length;
  while (end > 0) {
    const t = lines[end - 1]!.trim();
    if (t === '' || t.startsWith('>')) end--;
    else break;
  }
  // Keep the lines when nothing but quotes was written (a forward-only or empty reply).
  return end === 0 ? lines : lines.slice(0, end);
}

function isSignatureDelimiter(line: string): boolean {
  // RFC 3676 "-- " (and the common "--" without the space); a line of underscores is a
  // mailing-list footer rule.
  return /^--\s*$/.test(line) || /^\s*_{2,}\s*$/.test(line);
}

const MOBILE_FOOTERS = [
  // "Sent from my iPhone", "Sent from my Verizon Wireless BlackBerry": 1–3 words only, so
  // "Sent from my desk, is much easier then my mobile phone." stays (a sentence, not a footer).
  /^Sent from my(\s+[\w-]+){1,3}\s*$/i,
  /^Sent from (Mail|Outlook) for \w+\s*$/i,
  /^Get Outlook for (iOS|Android)\s*$/i,
  /^(发自|来自|發自|寄自)我的\s*\S{1,20}\s*$/,
  /^从我的\s*\S{1,20}\s*发送\s*$/,
  /^從我的\s*\S{1,20}\s*傳送\s*$/,
];

function isMobileFooter(t: string): boolean {
  return MOBILE_FOOTERS.some((r) => r.test(t));
}

function dropSignature(lines: string[]): string[] {
  // "-- " delimiter: everything below is the signature, wherever it is after the first line.
  for (let i = 1; i < lines.length; i++) {
    if (isSignatureDelimiter(lines[i]!)) {
      const rest = lines.slice(i + 1).filter((l) => l.trim() && !l.trim().startsWith('>'));
      if (rest.length <= 12) return lines.slice(0, i);
    }
  }
  // A mobile footer as the last own line.
  const last = lastNonBlank(lines);
  if (last > 0 && isMobileFooter(lines[last]!.trim())) return lines.slice(0, last);
  // "-Abhishek Kona": a dash glued to a name, after a blank line, near the end.
  for (let i = 1; i < lines.length; i++) {
    if (/^-\w[^\n]{0,40}$/.test(lines[i]!.trim()) && !lines[i - 1]!.trim()) {
      const rest = lines.slice(i + 1).filter((l) => l.trim());
      if (rest.length <= 6) return lines.slice(0, i);
    }
  }
  return lines;
}

function lastNonBlank(lines: string[]): number {
  for (let i = lines.length - 1; i >= 0; i--) if (lines[i]!.trim()) return i;
  return -1;
}

function trimTrailingBlank(lines: string[]): string[] {
  const last = lastNonBlank(lines);
  return last < 0 ? lines : lines.slice(0, last + 1);
}
