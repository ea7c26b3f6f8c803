import { expect } from 'chai';
import { detectSurge, DEFAULT_SURGE_THRESHOLD, type SurgeTicket } from '../../../../nlp/incident/surge-detector.js';
import { problemSignature, similarity } from '../../../../nlp/similarity/problem-signature.js';

/** Twelve customers hit by one outage (the app crashes on start), each in their own words, zh and en. */
const OUTAGE = [
  'APP一打开就闪退，什么情况？',
  '你们的app闪退了，根本进不去',
  '手机上的应用一直闪退，重装了也没用',
  '應用程式開啟就閃退，無法使用', // traditional Chinese
  '打开APP就崩溃，刚更新的版本',
  'app又闪退了，下单下到一半就退出',
  'The app keeps crashing as soon as I open it',
  'Your app crashed again and now it will not open at all',
  'App crashes on startup since this morning, iPhone 14',
  'Is the app down? It crashes every time I try to log in',
  'app keeps closing by itself, I cannot place my order',
  'Since the update your app crashes immediately, please fix',
];

/** Complaints of the same category in the same half hour that are not this outage. */
const UNRELATED_SAME_CATEGORY = [
  'app里的字体太小了，老人看不清，能不能调大一点',
  'Please add a dark mode to the app, the white screen hurts my eyes at night',
  '建议app增加夜间模式',
];

const T0 = Date.UTC(2024, 5, 1, 9, 0);
const min = 60_000;

function ticket(id: string, customerId: string, text: string, at: number, category = 'TECH'): SurgeTicket<string> {
  return { id, customerId, category, createdAt: at, signature: problemSignature(text) };
}

describe('nlp/incident/surge-detector', () => {
  const outage = OUTAGE.map((text, i) => ticket(`t${i}`, `c${i}`, text, T0 + i * 2 * min));
  const unrelated = UNRELATED_SAME_CATEGORY.map((text, i) => ticket(`u${i}`, `u-cust${i}`, text, T0 + (i * 5 + 1) * min));
  const otherCategory = [
    ticket('o1', 'oc1', '快递三天了还没到，物流一直不更新', T0 + 3 * min, 'LOGISTICS'),
    ticket('o2', 'oc2', 'The courier was rude and threw my parcel', T0 + 4 * min, 'LOGISTICS'),
  ];

  it('twelve customers reporting the same app crash in different words (zh and en) form one incident; unrelated complaints stay out', () => {
    const candidate = outage.at(-1)!;
    const recent = [...outage.slice(0, -1), ...unrelated, ...otherCategory];
    const surge = detectSurge(recent, candidate, { minTickets: 10, windowMs: 30 * min, threshold: DEFAULT_SURGE_THRESHOLD });
    expect(surge, 'no incident detected').to.not.equal(undefined);
    expect([...surge!.members].sort()).to.deep.equal(outage.map((t) => t.id).sort());
    expect(surge!.customers).to.equal(12);
    expect(surge!.symptoms).to.include('crash');
  });

  it('finds the incident whichever report arrives last, Chinese or English', () => {
    for (const i of [0, 3, 6, 9]) {
      const candidate = outage[i]!;
      const surge = detectSurge([...outage.filter((t) => t !== candidate), ...unrelated], candidate, { minTickets: 10 });
      expect(surge?.members, `candidate ${i}: ${candidate.signature.features.join(' ')}`).to.have.length(12);
    }
  });

  it('an unrelated complaint arriving during the outage does not become part of it', () => {
    const candidate = unrelated[1]!;
    expect(detectSurge([...outage, ...unrelated.slice(0, 1)], candidate, { minTickets: 10 })).to.equal(undefined);
  });

  it('nine customers are not yet an incident; the tenth makes one', () => {
    const nine = outage.slice(0, 9);
    expect(detectSurge(nine.slice(0, -1), nine.at(-1)!, { minTickets: 10 })).to.equal(undefined);
    expect(detectSurge(outage.slice(0, 9), outage[9]!, { minTickets: 10 })?.members).to.have.length(10);
  });

  it('one customer writing twelve times is not a surge', () => {
    const same = OUTAGE.map((text, i) => ticket(`s${i}`, 'angry-customer', text, T0 + i * min));
    expect(detectSurge(same.slice(0, -1), same.at(-1)!, { minTickets: 10 })).to.equal(undefined);
  });

  it('reports outside the window or in another category do not count', () => {
    const late = outage.map((t, i) => (i < 4 ? { ...t, createdAt: T0 - 3 * 60 * min } : t));
    expect(detectSurge(late.slice(0, -1), late.at(-1)!, { minTickets: 10, windowMs: 30 * min })).to.equal(undefined);
    const otherCat = outage.map((t, i) => (i < 4 ? { ...t, category: 'BILLING' } : t));
    expect(detectSurge(otherCat.slice(0, -1), otherCat.at(-1)!, { minTickets: 10 })).to.equal(undefined);
  });

  it('at the default threshold every outage report is alike to most of the crowd (the measurement behind the default)', () => {
    for (const a of outage) {
      const alikeCount = outage.filter((b) => b !== a && similarity(a.signature, b.signature) >= DEFAULT_SURGE_THRESHOLD).length;
      expect(alikeCount, a.id).to.be.at.least(9);
    }
  });

  it('keeps out a same-category complaint that shares only the word "app" with the outage reports', () => {
    // "app 字体太小" scores up to ~0.2 against the crash reports on "app" alone, above the threshold, but names no symptom.
    const font = unrelated[0]!;
    const surge = detectSurge(outage, font, { minTickets: 10 });
    expect(surge).to.equal(undefined);
    const crash = detectSurge([...outage.slice(0, -1), font], outage.at(-1)!, { minTickets: 10 });
    expect(crash?.members).to.not.include(font.id);
  });
});
