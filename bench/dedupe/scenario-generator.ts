/**
 * Multi-channel "same problem" scenarios for bench/dedupe, generated from a fixed seed so every run
 * scores the same messages.
 *
 *   node --import tsx bench/dedupe/scenario-generator.ts [--seed 20240601] [--customers 300] > scenarios.jsonl
 *
 * Each customer writes about one to three problems; each problem arrives as two to four messages
 * over e-mail, SMS and web chat, in different words (one of several phrasings per problem kind,
 * wrapped in channel habits: greetings and signatures in e-mail, terse SMS, informal chat), in
 * Chinese or English, sometimes naming the order number and sometimes not. A few customers switch
 * language between messages, some write about two problems concerning the same product, and some
 * have two problems of the same kind (two late parcels) told apart only by their order numbers.
 * Ground truth: two messages are the same problem when they share `problemId`.
 */

/** One generated message. */
export interface ScenarioMessage {
  id: string;
  customerId: string;
  problemId: string;
  kind: string;
  channel: 'email' | 'sms' | 'chat';
  language: 'zh' | 'en';
  text: string;
  /** The order number the text names, if any (ground truth; the bench extracts its own). */
  orderNumber?: string;
  /** Milliseconds since the scenario start. */
  at: number;
}

export { seededRandom } from '../../nlp/seeded-random.js';
import { seededRandom } from '../../nlp/seeded-random.js';

type Phrasings = { zh: string[]; en: string[] };

const ITEMS: Array<{ zh: string; en: string }> = [
  { zh: '蓝牙耳机', en: 'bluetooth headphones' },
  { zh: '电饭煲', en: 'rice cooker' },
  { zh: '运动鞋', en: 'running shoes' },
  { zh: '手机壳', en: 'phone case' },
  { zh: '空气炸锅', en: 'air fryer' },
  { zh: '台灯', en: 'desk lamp' },
  { zh: '行李箱', en: 'suitcase' },
  { zh: '咖啡机', en: 'coffee machine' },
  { zh: '吹风机', en: 'hair dryer' },
  { zh: '机械键盘', en: 'mechanical keyboard' },
  { zh: '电动牙刷', en: 'electric toothbrush' },
  { zh: '保温杯', en: 'thermos flask' },
  { zh: '婴儿推车', en: 'baby stroller' },
  { zh: '羽绒服', en: 'down jacket' },
];

/** Problem kinds, each with several ways customers actually put it. `{item}`, `{days}` are filled in. */
// prettier-ignore
const KINDS: Record<string, Phrasings> = {
  late: {
    zh: ['我买的{item}到现在还没收到，已经{days}天了', '{item}怎么还没到？物流信息好几天没更新了', '下单{days}天了{item}还没送到，快递到底在哪里',
      '催一下，{item}的快递迟迟没有动静', '{item}物流卡住好几天了，什么时候能到', '等{item}等了{days}天，说好的三天送达呢'],
    en: ["My {item} still hasn't arrived, it's been {days} days", "Where is my {item}? The tracking hasn't updated for days",
      'I ordered the {item} {days} days ago and it was never delivered', 'The {item} delivery is really late, I am still waiting',
      'The package with my {item} is stuck, no movement on tracking', 'It has been {days} days and no sign of the {item} I bought'],
  },
  damaged: {
    zh: ['收到的{item}坏了，外壳都碎了', '{item}到手就是破损的，包装盒也压扁了', '快递送来的{item}摔坏了，没法用', '打开箱子发现{item}裂了一道口子',
      '{item}送到的时候已经损坏，明显是运输途中摔的'],
    en: ['The {item} arrived damaged, the casing is cracked', 'My {item} came broken and the box was crushed', 'Received the {item} today and it is smashed',
      'Opened the parcel and the {item} is cracked and dented', 'The {item} was broken on arrival, looks like it was dropped in transit'],
  },
  wrong: {
    zh: ['我买的是{item}，结果发错货了', '收到的不是我买的那款{item}，颜色不对', '你们寄错了，我订的{item}不是这个型号', '货不对板，{item}跟页面上的完全不一样',
      '{item}送错了，尺码也不对'],
    en: ['You sent me the wrong item instead of the {item}', 'I ordered the {item} but got a different product', 'This is not what I ordered, the {item} is the wrong colour',
      'The wrong model of {item} was delivered to me', 'Got the {item} in the wrong size, not what I picked'],
  },
  refund: {
    zh: ['{item}退货{days}天了退款还没到账', '申请退款的{item}到现在还没退钱', '退款迟迟不到，{item}早就寄回去了', '{item}的退款一直没有收到，钱什么时候退',
      '{item}已经退回，退款还是没到我的卡上'],
    en: ['I returned the {item} {days} days ago and still no refund', 'Where is my refund for the {item}?', "The refund for the {item} hasn't reached my account",
      'You got the {item} back weeks ago but my refund is still pending', 'Still waiting on the money back for the returned {item}'],
  },
  twice: {
    zh: ['买{item}被扣了两次钱', '同一笔{item}的订单重复扣款了', '付{item}的时候多扣了一次，银行卡扣了双份', '{item}支付了两次，请把多扣的钱退回来',
      '{item}只买了一个却扣了两次款'],
    en: ['I was charged twice for the {item}', 'Double charge on my card for the {item}', 'My bank statement shows two payments for one {item}',
      'You billed me twice for the {item} order', 'Paid for the {item} once but was debited two times'],
  },
  rude: {
    zh: ['送{item}的快递员态度很差，还骂人', '快递小哥送{item}的时候很凶，直接扔在门口就走', '配送员态度恶劣，{item}也不肯送上楼', '送货员对我大吼大叫，{item}的箱子都扔地上了'],
    en: ['The courier delivering my {item} was very rude', 'Your driver shouted at me when dropping off the {item}', 'The delivery guy threw the {item} at my door and was disrespectful',
      'The courier with my {item} yelled at me and refused to carry it upstairs'],
  },
  defective: {
    zh: ['{item}用了两天就坏了，开不了机', '新买的{item}有质量问题，根本不能用', '{item}出故障了，一点反应都没有', '{item}充不进电，是不是次品', '{item}才用一周就失灵了'],
    en: ['The {item} stopped working after two days', 'My new {item} is defective and will not turn on', 'The {item} is faulty, it does nothing at all',
      "The {item} doesn't work, really poor quality", 'The {item} malfunctioned within a week'],
  },
  missing: {
    zh: ['{item}少发了一个配件', '箱子里只收到{item}，赠品漏发了', '{item}的充电器缺了，包装里没有', '{item}少了一个，订了两个只收到一个'],
    en: ['The {item} box was missing the charger', 'Only received the {item}, the accessories are missing', 'Part of my {item} order is missing, only one came',
      'The {item} arrived incomplete, a piece is not in the box'],
  },
  cancel: {
    zh: ['我要取消{item}的订单，一直取消不了', '{item}下错单了想取消，点取消没反应', '麻烦帮我取消{item}这一单，不想要了', '{item}还没发货，为什么不能取消'],
    en: ['I want to cancel my {item} order but the button does nothing', 'Please cancel the {item}, I ordered it by mistake', "Can't cancel the {item} order even though it hasn't shipped",
      'Cancel my {item} purchase please, I no longer need it'],
  },
  login: {
    zh: ['登录不了账号，没法查看{item}的订单', '一直收不到验证码，登不上去看{item}', '账号登不进去，{item}的物流也看不到', '密码重置了还是登录失败，想查{item}'],
    en: ["I can't log in to my account to check the {item} order", "Password reset doesn't work, can't sign in to track my {item}",
      'Never get the verification code so I cannot log in to see the {item}', 'Locked out of my account and I need to see where the {item} is'],
  },
};

const NAMES = {
  zh: ['王丽', '李伟', '张敏', '刘洋', '陈静', '杨帆', '赵磊', '黄婷'],
  en: ['Emma Clark', 'James Wu', 'Olivia Chen', 'Noah Patel', 'Ava Smith', 'Liam Lee'],
};

function pick<T>(rnd: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rnd() * xs.length)]!;
}

/** Wraps the core sentence in the habits of the channel; `order` is appended the way people write it. */
function compose(
  rnd: () => number,
  channel: ScenarioMessage['channel'],
  lang: 'zh' | 'en',
  core: string,
  order: string | undefined,
  name: string,
  followUp: boolean,
): string {
  if (lang === 'zh') {
    const again = followUp ? pick(rnd, ['又来问一次：', '还是没解决，', '第二次联系了，', '']) : '';
    const ord = order ? pick(rnd, [`订单号：${order}`, `订单${order}`, `单号 ${order}`]) : '';
    if (channel === 'email') {
      const hi = pick(rnd, ['您好，', '客服你好：', '你好，']);
      const bye = pick(rnd, ['麻烦尽快处理，谢谢。', '请尽快给我答复。', '希望尽快解决。']);
      return `${hi}\n\n${again}${core}。${ord ? `\n${ord}` : ''}\n${bye}\n\n${name}`;
    }
    if (channel === 'sms') return `${again}${core}${ord ? ` ${ord}` : ''}`;
    const hi = pick(rnd, ['在吗？', '人工客服', '你好', '']);
    return `${hi}${hi ? ' ' : ''}${again}${core}${ord ? `，${ord}` : ''}`;
  }
  const again = followUp ? pick(rnd, ['Following up again: ', 'Still not sorted. ', 'Second time contacting you. ', '']) : '';
  const ord = order ? pick(rnd, [`Order number: ${order}`, `order #${order}`, `Order ${order}`]) : '';
  if (channel === 'email') {
    const hi = pick(rnd, ['Hello,', 'Hi there,', 'Dear support team,']);
    const bye = pick(rnd, ['Please sort this out as soon as possible.', 'I look forward to your reply.', 'Hope you can help.']);
    return `${hi}\n\n${again}${core}.${ord ? ` ${ord}.` : ''}\n${bye}\n\nRegards,\n${name}`;
  }
  if (channel === 'sms') return `${again}${core}${ord ? ` ${ord}` : ''}`;
  const hi = pick(rnd, ['hi', 'hello?', 'hey', '']);
  return `${hi}${hi ? ' ' : ''}${again}${core.charAt(0).toLowerCase()}${core.slice(1)}${ord ? ` - ${ord}` : ''}`;
}

/** The scenario set: `customers` customers, deterministic for a given seed. */
export function generateScenarios(opts: { seed?: number; customers?: number } = {}): ScenarioMessage[] {
  const rnd = seededRandom(opts.seed ?? 20240601);
  const customers = opts.customers ?? 300;
  const kinds = Object.keys(KINDS);
  const out: ScenarioMessage[] = [];
  let msgId = 0;
  for (let c = 0; c < customers; c++) {
    const customerId = `cust-${c}`;
    const lang: 'zh' | 'en' = rnd() < 0.5 ? 'zh' : 'en';
    const switcher = rnd() < 0.08; // a bilingual customer who writes some messages in the other language
    const name = pick(rnd, NAMES[lang]);
    const nProblems = 1 + Math.floor(rnd() * 3);
    const used: Array<{ kind: string; item: number }> = [];
    let t = 0;
    for (let p = 0; p < nProblems; p++) {
      let kind = pick(rnd, kinds);
      let item = Math.floor(rnd() * ITEMS.length);
      const r = rnd();
      if (used.length > 0 && r < 0.12)
        kind = used[0]!.kind; // same kind again, another order (two late parcels)
      else if (used.length > 0 && r < 0.25)
        item = used[0]!.item; // another problem with the same product
      else while (used.some((u) => u.kind === kind)) kind = pick(rnd, kinds);
      used.push({ kind, item });
      const sameKindTwice = used.filter((u) => u.kind === kind).length > 1;
      const order = String(100000000000 + Math.floor(rnd() * 899999999999));
      const days = 3 + Math.floor(rnd() * 12);
      const nMessages = 2 + Math.floor(rnd() * 3);
      const phr = KINDS[kind]!;
      const usedPhrasings = new Set<string>();
      for (let m = 0; m < nMessages; m++) {
        const mlang: 'zh' | 'en' = switcher && rnd() < 0.35 ? (lang === 'zh' ? 'en' : 'zh') : lang;
        // Each message of a problem in other words: no phrasing twice while unused ones remain.
        const options = phr[mlang].filter((x) => !usedPhrasings.has(x));
        const template = pick(rnd, options.length > 0 ? options : phr[mlang]);
        usedPhrasings.add(template);
        const core = template.replaceAll('{item}', ITEMS[item]![mlang]).replaceAll('{days}', String(days + (m > 0 ? Math.floor(rnd() * 3) : 0)));
        const channel = pick(rnd, ['email', 'sms', 'chat'] as const);
        // Two problems of one kind can only be told apart by their order numbers, so such customers name them more often.
        const withOrder = rnd() < (sameKindTwice ? 0.6 : 0.4);
        t += 60_000 * (5 + Math.floor(rnd() * 600));
        out.push({
          id: `m-${msgId++}`,
          customerId,
          problemId: `${customerId}/p${p}`,
          kind,
          channel,
          language: mlang,
          text: compose(rnd, channel, mlang, core, withOrder ? order : undefined, name, m > 0 && rnd() < 0.4),
          ...(withOrder ? { orderNumber: order } : {}),
          at: t,
        });
      }
    }
  }
  return out;
}

// Run directly: print the scenario set as JSON lines.
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const arg = (n: string): number | undefined => {
    const i = process.argv.indexOf(n);
    return i >= 0 ? Number(process.argv[i + 1]) : undefined;
  };
  for (const m of generateScenarios({ seed: arg('--seed'), customers: arg('--customers') })) process.stdout.write(`${JSON.stringify(m)}\n`);
}
