import { expect } from 'chai';
import { DEFAULT_COMPLAINT_CUES } from '../../../../config/channels/wechat.schema.js';
import { isGroupComplaint } from '../../../../adapters/wechat/wechaty.adapter.js';

const cues = [...DEFAULT_COMPLAINT_CUES];

describe('isGroupComplaint', () => {
  it('takes in any message that @mentions the account', () => {
    expect(isGroupComplaint({ text: '发票怎么开？', mentionsSelf: true, cues })).to.deep.equal({ complaint: true, trigger: 'mention' });
  });

  it('takes in a message with a complaint cue, in simplified or traditional Chinese', () => {
    expect(isGroupComplaint({ text: '我要投诉，面包发霉了', mentionsSelf: false, cues })).to.include({ complaint: true, trigger: 'cue', cue: '投诉' });
    expect(isGroupComplaint({ text: '我要投訴', mentionsSelf: false, cues })).to.include({ complaint: true, cue: '投訴' });
  });

  it('matches English cues regardless of case and full-width letters', () => {
    expect(isGroupComplaint({ text: 'I want a REFUND now', mentionsSelf: false, cues }).complaint).to.equal(true);
    expect(isGroupComplaint({ text: 'ＲＥＦＵＮＤ please', mentionsSelf: false, cues }).complaint).to.equal(true);
  });

  it('ignores group chatter', () => {
    expect(isGroupComplaint({ text: '今天团购的草莓好甜，大家晚上好', mentionsSelf: false, cues })).to.deep.equal({ complaint: false });
    expect(isGroupComplaint({ text: '投诉', mentionsSelf: false, cues: [] })).to.deep.equal({ complaint: false });
  });
});
