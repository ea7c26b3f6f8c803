import { execFileSync } from 'node:child_process';
import { expect } from 'chai';
import { detectLanguage, foldText, normalizeText, toSimplified } from '../../../nlp/text-normalizer.js';

/** `original` folds to `folded`, one UTF-16 unit for one, so offsets found in the folded text point into the original. */
function expectAlignedFold(original: string, folded: string): void {
  const result = foldText(original);
  expect(result.folded).to.equal(folded);
  expect(result.aligned).to.equal(true);
  expect(result.folded.length).to.equal(original.length);
}

describe('nlp/text-normalizer', () => {
  const lang = (t: string) => detectLanguage(foldText(t).folded, t).language;

  it('tells simplified Chinese, traditional Chinese, English and other languages apart', () => {
    expect(lang('我上周在你们店里买的洗衣机，到现在还没送到，客服电话一直打不通。')).to.equal('zh-Hans');
    expect(lang('我上週在你們店裡買的洗衣機，到現在還沒送到，客服電話一直打不通。')).to.equal('zh-Hant');
    expect(lang('I ordered a washing machine last week and it still has not been delivered.')).to.equal('en');
    expect(lang('先週注文した洗濯機がまだ届いていません。')).to.equal('other');
    expect(lang('Ma commande est arrivée abîmée, le carton était déchiré et très sale.')).to.equal('other');
    expect(lang('😡😡😡')).to.equal('other');
    expect(lang('')).to.equal('other');
  });

  it('calls mixed text by its main language', () => {
    expect(lang('我的order到现在还没到，tracking也不更新')).to.equal('zh-Hans');
    expect(lang('My order from 京东 still has not arrived after two weeks')).to.equal('en');
  });

  it('folds full-width letters and digits, case and traditional characters for matching, keeping offsets', () => {
    expectAlignedFold('訂單號：ＡＢ１２３４５，包裝破損', '订单号:ab12345,包装破损');
  });

  it('converts traditional characters one for one and leaves simplified text as it is', () => {
    expect(toSimplified('投訴物流延誤')).to.equal('投诉物流延误');
    const simplified = '投诉物流延误';
    expect(toSimplified(simplified)).to.equal(simplified);
  });

  it('folds written Cantonese and Taiwan words into the Mandarin the taxonomy is written in, one character for one, and leaves Mandarin that only looks alike', () => {
    expectAlignedFold('打咗三次電話去客服，到而家都冇人覆我，部機壞咗，唔好用', '打了三次电话去客服,到现在都没人回我,部机坏了,不好用');
    expect(foldText('點解仲未退款？唔該幫我查下').folded).to.equal('为何还没退款?劳驾帮我查下');
    // 死火 (broke down), 俾人 (by someone), 碌咗 (swiped), 餸 (a dish), and 晒 after what it completes (all of it).
    expectAlignedFold('部雪櫃死火，啲餸全部壞晒', '部冰箱坏了,些菜全部坏了');
    // Hong Kong's words for things: 雪櫃 (fridge), 屋企 (home), 速遞 (courier), 熄機 (switched off); 冇人聽 / 唔聽 (nobody answers the phone).
    expectAlignedFold('速遞話送咗去我屋企，部手機成日自己熄機，熱線冇人聽，佢唔聽電話', '快递话送了去我家里,部手机成日自己关机,热线没人接,他不接电话');
    // Taiwan's words that character conversion keeps: 回覆 / 答覆 (a reply), 簡訊 (a text message).
    expectAlignedFold('客服的答覆是會回覆，簡訊也沒收到', '客服的答复是会回复,短信也没收到');
    expectAlignedFold('張卡俾人碌咗三千蚊', '张卡被人刷了三千蚊');
    // Question words: 幾時 (when), 邊個 (which), 咩 / 搞咩 (what).
    expectAlignedFold('幾時先會退錢？邊個負責？有咩方法？搞咩呀', '何时先会退钱?哪个负责?有啥方法?搞啥呀');
    // 甩咗 (came off), 夾親 (hurt by), 起晒波波 (pilled), 覆電 (call back), 跟緊 (following up), 唔該晒 (thanks a lot).
    expectAlignedFold('鞋底甩咗，手指夾親，件衫起晒波波；話會覆電，問親都話跟緊，唔該晒', '鞋底掉了,手指夹伤,件衫起毛球了;话会回电,问亲都话跟进,多谢了');
    // 冇郁 (not moved), 有返貨 (back in stock), 傾 (to talk) after 可以.
    expectAlignedFold('物流到而家都冇郁過，幾時有返貨？有冇真人可以傾？', '物流到现在都没动过,何时有到货?有没真人可以聊?');
    // The same two characters inside Mandarin words stay: 重点解决, 周边度假, 然而家里, 好耐用; 唔 alone is an interjection.
    for (const mandarin of [
      '重点解决问题',
      '周边度假村',
      '然而家里很乱',
      '这锅好耐用',
      '唔,好的',
      '听日语课',
      '晒太阳',
      '忙忙碌碌',
      '这边个子高',
      '心情郁闷',
      '我想倾诉一下',
      '可以倾斜吗',
      '返货地址',
      '甩掉包袱',
      '亲人',
      '没人听我说话',
      '他不听话',
    ])
      expect(foldText(mandarin).folded).to.equal(mandarin);
  });

  it('segments Chinese with jieba and stems English with natural, dropping stop words but not negations', () => {
    const zh = normalizeText('快递员态度很差');
    expect(zh.tokens).to.include.members(['快递', '态度']);
    expect(zh.tokens).not.to.include('很');
    const en = normalizeText("The parcel hasn't arrived and the boxes were damaged");
    expect(en.tokens).to.include.members(['parcel', 'not', 'arriv', 'box', 'damag']);
    expect(en.tokens).not.to.include('the');
  });

  it("loads only natural's stemmer and stop words, none of the storage clients natural's index pulls in", function () {
    // natural's index requires Redis, MongoDB and PostgreSQL clients: seconds at every start, and the Redis
    // client's `class VerbatimString extends String` slows every string loop of the process in V8.
    this.timeout(30_000);
    const script =
      "import('./nlp/text-normalizer.ts').then((m) => { m.normalizeText('delays'); " +
      "console.log(JSON.stringify(Object.keys(require.cache).filter((k) => /node_modules[\\/](natural|redis|@redis|mongoose|mongodb|pg)[\\/]/.test(k)).map((k) => k.split('node_modules/')[1]))); })";
    const loaded: string[] = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' }).trim().split('\n').pop()!);
    expect(loaded.some((k) => k.startsWith('natural/lib/natural/stemmers/porter_stemmer'))).to.equal(true);
    expect(loaded.filter((k) => !k.startsWith('natural/'))).to.deep.equal([]);
    expect(loaded).to.not.include('natural/lib/natural/index.js');
  });
});
