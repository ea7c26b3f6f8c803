import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { stripQuotedReply } from '../../../../adapters/email/strip-quoted-reply.js';

// Real bodies from github/email_reply_parser (MIT), copied into test/fixtures/email/email_reply_parser (see its README).
// The one large body is stored gzipped.
const upstream = (name: string) => {
  const file = new URL(`../../../../test/fixtures/email/email_reply_parser/${name}`, import.meta.url);
  return name.endsWith('.gz') ? gunzipSync(readFileSync(file)).toString('utf8') : readFileSync(file, 'utf8');
};
// Chinese client layouts written for this project: test/fixtures/email/reply-parsing.
const local = (name: string) => readFileSync(new URL(`../../../../test/fixtures/email/reply-parsing/${name}`, import.meta.url), 'utf8');

describe('stripQuotedReply', () => {
  describe('reply-parsing fixtures (github/email_reply_parser)', () => {
    it('email_1_1: drops a "-Name" signature and the mailing-list footer', () => {
      expect(stripQuotedReply(upstream('email_1_1.txt'))).to.equal(
        'Hi folks\n\nWhat is the best way to clear a Riak bucket of all key, values after \nrunning a test?\nI am currently using the Java HTTP API.',
      );
    });

    it('email_1_2: keeps an inline reply with the quote it answers, drops the trailing quote and footer', () => {
      const out = stripQuotedReply(upstream('email_1_2.txt'));
      expect(out.startsWith('Hi,\nOn Tue, 2011-03-01 at 18:02 +0530, Abhishek Kona wrote:\n> Hi folks')).to.equal(true);
      expect(out.endsWith('you’ll need to delete them all individually."')).to.equal(true);
      expect(out).to.not.contain('riak-users mailing list');
      expect(out).to.not.contain('-Abhishek Kona');
    });

    it('email_1_3: top-posted reply above a quoted thread keeps only the new text', () => {
      expect(stripQuotedReply(upstream('email_1_3.txt'))).to.equal('Oh thanks.\n\nHaving the function would be great.');
    });

    it('email_1_4: blank lines between "wrote:" and the quote', () => {
      expect(stripQuotedReply(upstream('email_1_4.txt'))).to.equal("Awesome! I haven't had another problem with it.");
    });

    it('email_1_5: "- " bullet lists are text, not signatures', () => {
      expect(stripQuotedReply(upstream('email_1_5.txt'))).to.equal(upstream('email_1_5.txt').trimEnd());
    });

    it('email_1_6: "On … wrote:" wrapped over three lines; an unusual "Sent from" line is kept', () => {
      expect(stripQuotedReply(upstream('email_1_6.txt'))).to.equal('I get proper rendering as well.\n\nSent from a magnificent torch of pixels');
    });

    it('email_1_7: wrapped header with "wrote:" glued to the address', () => {
      expect(stripQuotedReply(upstream('email_1_7.txt'))).to.equal(':+1:');
    });

    it('email_1_8: answers written under quoted lines are kept, the signature below them dropped', () => {
      const out = stripQuotedReply(upstream('email_1_8.txt'));
      expect(out).to.contain('I will reply under this one');
      expect(out.endsWith('and under this.')).to.equal(true);
      expect(out).to.not.contain('Hey there, this is my signature');
    });

    it('email_2_1: Outlook "*From:*" header block under a rule', () => {
      expect(stripQuotedReply(upstream('email_2_1.txt'))).to.equal('Outlook with a reply');
    });

    it('email_2_2: reply directly above an Outlook underscore rule', () => {
      expect(stripQuotedReply(upstream('email_2_2.txt'))).to.equal('Outlook with a reply directly above line');
    });

    it('email_2_3: Outlook header block without a rule', () => {
      expect(stripQuotedReply(upstream('email_2_3.txt'))).to.equal('Outlook with a reply directly above line');
    });

    it('email_BlackBerry: "Sent from my BlackBerry"', () => {
      expect(stripQuotedReply(upstream('email_BlackBerry.txt'))).to.equal('Here is another email');
    });

    it('email_iPhone: "Sent from my iPhone"', () => {
      expect(stripQuotedReply(upstream('email_iPhone.txt'))).to.equal('Here is another email');
    });

    it('email_multi_word_sent_from_my_mobile_device: "Sent from my Verizon Wireless BlackBerry"', () => {
      expect(stripQuotedReply(upstream('email_multi_word_sent_from_my_mobile_device.txt'))).to.equal('Here is another email');
    });

    it('email_sent_from_my_not_signature: a sentence starting "Sent from my" is kept', () => {
      expect(stripQuotedReply(upstream('email_sent_from_my_not_signature.txt'))).to.equal(
        'Here is another email\n\nSent from my desk, is much easier then my mobile phone.',
      );
    });

    it('email_bullets: indented bullets kept, signature after the quoted part dropped', () => {
      expect(stripQuotedReply(upstream('email_bullets.txt'))).to.equal(
        'test 2 this should list second\n\nand have spaces\n\nand retain this formatting\n\n\n   - how about bullets\n   - and another',
      );
    });

    it('email_one_is_not_on: a line starting "One" is not an "On … wrote:" header', () => {
      expect(stripQuotedReply(upstream('email_one_is_not_on.txt'))).to.equal(
        'Thank, this is really helpful.\n\nOne outstanding question I had:\n\nLocally (on development), when I run...',
      );
    });

    it('email_sig_delimiter_in_middle_of_line: " -- " inside a sentence is not a signature', () => {
      expect(stripQuotedReply(upstream('email_sig_delimiter_in_middle_of_line.txt'))).to.equal(upstream('email_sig_delimiter_in_middle_of_line.txt').trimEnd());
    });

    it('correct_sig: "-- " on its own line starts the signature', () => {
      expect(stripQuotedReply(upstream('correct_sig.txt'))).to.equal('this is an email with a correct -- signature.');
    });

    it('greedy_on: "On your remote host…" paragraphs above a real header are not joined into it', () => {
      expect(stripQuotedReply(upstream('greedy_on.txt'))).to.equal(
        'On your remote host you can run:\n\n     telnet 127.0.0.1 52698\n\nThis should connect to TextMate (on your Mac, via the tunnel). If that\nfails, the tunnel is not working.',
      );
    });

    it('pathological: a huge quoted body is cut quickly', () => {
      const t0 = Date.now();
      expect(stripQuotedReply(upstream('pathological.txt'))).to.equal(
        "I think you're onto something. I will try to fix the problem as soon as I\nget back to a computer.",
      );
      expect(Date.now() - t0).to.be.lessThan(200);
    });

    it('email_long_quote: a 10k-character ">>>>" line does not blow up the parser', () => {
      const t0 = Date.now();
      const out = stripQuotedReply(upstream('email_long_quote.txt.gz'));
      expect(out.startsWith('Hi folks\n\nWhat is the best way')).to.equal(true);
      expect(out).to.not.contain('riak-users mailing list');
      expect(Date.now() - t0).to.be.lessThan(200);
    });
  });

  describe('Chinese and Outlook layouts (test/fixtures/email/reply-parsing)', () => {
    it('QQ mail "------------------ 原始邮件 ------------------" block', () => {
      expect(stripQuotedReply(local('zh_qq_original.txt'))).to.equal('你们的快递把我的箱子摔坏了，请赔偿。');
    });

    it('Outlook (zh-CN) 发件人/发送时间/收件人/主题 block without a separator', () => {
      expect(stripQuotedReply(local('zh_outlook_block.txt'))).to.equal('照片已附上，请尽快处理。');
    });

    it('Foxmail/163 "在 … 写道：" with unquoted history below', () => {
      expect(stripQuotedReply(local('zh_foxmail_wrote.txt'))).to.equal('还是没有收到退款。');
    });

    it('Gmail (zh-CN) "<name> <addr> 于2026年3月1日周日 10:23写道："', () => {
      expect(stripQuotedReply(local('zh_gmail_wrote.txt'))).to.equal('订单号 DD20260301 仍然显示未发货。');
    });

    it('Traditional Chinese "於 … 寫道："', () => {
      expect(stripQuotedReply(local('zh_hant_wrote.txt'))).to.equal('我的帳單被重複扣款兩次。');
    });

    it('Traditional Chinese Outlook 寄件者/寄件日期 block', () => {
      expect(stripQuotedReply(local('zh_hant_outlook.txt'))).to.equal('已經等了一個星期。');
    });

    it('"-----原始邮件-----" separator with full-width colons', () => {
      expect(stripQuotedReply(local('zh_original_dashes.txt'))).to.equal('请给我一个明确的答复。');
    });

    it('"发自我的iPhone" footer', () => {
      expect(stripQuotedReply(local('zh_mobile_signature.txt'))).to.equal('外卖送错了，我点的是牛肉面。');
    });

    it('"-- " signature with name and phone number', () => {
      expect(stripQuotedReply(local('zh_dash_signature.txt'))).to.equal('空调安装师傅迟到了两个小时。');
    });

    it('Outlook (en) "-----Original Message-----"', () => {
      expect(stripQuotedReply(local('en_outlook_original_message.txt'))).to.equal('The replacement also arrived broken.');
    });

    it('CRLF line endings behave like LF', () => {
      expect(stripQuotedReply('Still broken.\r\n\r\nOn Mon, Mar 2, 2026 at 10:00 AM, Service <s@example.com> wrote:\r\n> Fixed?\r\n')).to.equal(
        'Still broken.',
      );
    });

    it('a complaint that merely mentions "From:" in a sentence is kept whole', () => {
      const text = 'From: the moment I opened the box it smelled burnt.\nThe kettle does not heat.';
      expect(stripQuotedReply(text)).to.equal(text);
    });
  });
});
