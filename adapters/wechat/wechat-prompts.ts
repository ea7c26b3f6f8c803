/**
 * What the Official Account answers at once (as the passive reply) to pushes that are not a
 * complaint yet: a follow, a click on the complaint menu, a message with nothing in it. Short
 * on purpose: WeChat shows them as a chat bubble, and a customer reads the first line only.
 */
export interface WechatPrompts {
  /** A new follower (`subscribe`). */
  welcome: string;
  /** A click on a complaint menu item: how to describe the complaint in the chat. */
  describeComplaint: string;
  /** A text of nothing but spaces. */
  emptyMessage: string;
  /** A message type we cannot file (no words, no media we can reference). */
  unsupportedMessage: string;
  /** The rare message intake refused after all: the customer must not think it was filed. */
  notReceived: string;
}

export type WechatPromptLanguage = 'zh-CN' | 'en-US';

export const WECHAT_PROMPTS: Record<WechatPromptLanguage, WechatPrompts> = {
  'zh-CN': {
    welcome:
      '您好，欢迎关注！遇到商品或服务问题，请直接在对话框里告诉我们：发生了什么、订单号（如有）、希望如何处理，也可以发送图片或语音。我们会尽快为您处理。',
    describeComplaint: '请直接在对话框里描述您遇到的问题：发生了什么、订单号（如有）、希望如何处理。也可以发送图片或语音。收到后我们会为您登记并尽快回复。',
    emptyMessage: '没有收到文字内容。请用文字描述您遇到的问题，并附上订单号（如有）。',
    unsupportedMessage: '暂时无法处理这类消息。请用文字描述您遇到的问题，也可以发送图片或语音。',
    notReceived: '抱歉，这条消息未能登记。请用文字重新描述您遇到的问题。',
  },
  'en-US': {
    welcome:
      'Welcome, and thank you for following us! If something went wrong with a product or our service, just tell us here: what happened, your order number (if any) and what you would like us to do. Photos and voice messages are fine too.',
    describeComplaint:
      'Please describe the problem right here in the chat: what happened, your order number (if any) and what you would like us to do. Photos and voice messages are fine too. We will register it and get back to you soon.',
    emptyMessage: 'Your message was empty. Please describe the problem in words, with your order number if you have one.',
    unsupportedMessage: 'We cannot handle this kind of message yet. Please describe the problem in words, or send a photo or a voice message.',
    notReceived: 'Sorry, we could not register this message. Please describe the problem again in words.',
  },
};
