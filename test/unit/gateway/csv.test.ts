import { expect } from 'chai';
import { csvField } from '../../../gateway/http/csv.js';

describe('CSV fields for exports', () => {
  it('quotes commas, quotes and line breaks, and keeps Chinese as is', () => {
    expect(csvField('快递, 还没到')).to.equal('"快递, 还没到"');
    expect(csvField('he said "now"')).to.equal('"he said ""now"""');
    expect(csvField('line\nbreak')).to.equal('"line\nbreak"');
    expect(csvField(null)).to.equal('');
    expect(csvField(42)).to.equal('42');
  });

  it('defuses text a spreadsheet would run as a formula, but not negative numbers', () => {
    expect(csvField('=HYPERLINK("http://x")')).to.equal(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('@SUM(A1)')).to.equal("'@SUM(A1)");
    expect(csvField('-12.5')).to.equal('-12.5');
  });
});
