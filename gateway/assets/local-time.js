/*
 * Shows every <time data-local> of a page in the reader's own time zone and language (the server
 * writes China time, which is what a reader without script keeps). Served from /assets, so the
 * page needs no inline script.
 */
(function () {
  'use strict';
  var lang = document.documentElement.lang || 'en';
  var format;
  try {
    format = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
  } catch (e) {
    return;
  }
  var nodes = document.querySelectorAll('time[data-local]');
  for (var i = 0; i < nodes.length; i++) {
    var at = new Date(nodes[i].getAttribute('datetime'));
    if (!isNaN(at.getTime())) nodes[i].textContent = format.format(at);
  }
})();
