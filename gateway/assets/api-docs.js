// Starts Swagger UI on the API reference page (/api/docs). A file rather than an inline script, so the page
// keeps a Content-Security-Policy without 'unsafe-inline' for scripts. Settings come from this tag's data-
// attributes: data-spec (the OpenAPI document) and data-target (the element id).
(function () {
  var tag = document.currentScript;
  var spec = (tag && tag.dataset.spec) || '/api/v1/openapi.json';
  var target = (tag && tag.dataset.target) || 'api-docs';
  // A person signed in to the console: "Try it out" on a change must carry the session's CSRF token.
  var csrfToken;
  fetch('/api/v1/me', { credentials: 'same-origin' })
    .then(function (res) {
      return res.ok ? res.json() : null;
    })
    .then(function (me) {
      csrfToken = me && me.csrfToken;
    })
    .catch(function () {});
  window.addEventListener('DOMContentLoaded', function () {
    /* global SwaggerUIBundle */
    window.ui = SwaggerUIBundle({
      url: spec,
      dom_id: '#' + target,
      deepLinking: true,
      // Never send the document to an outside validator (Swagger UI's default): the page talks to this gateway only.
      validatorUrl: null,
      docExpansion: 'list',
      defaultModelsExpandDepth: 0,
      // A signed-in console user's cookie goes along with "Try it out" (their own session and roles).
      withCredentials: true,
      requestInterceptor: function (request) {
        if (csrfToken && request.method && request.method.toUpperCase() !== 'GET') request.headers['X-CSRF-Token'] = csrfToken;
        return request;
      },
      presets: [SwaggerUIBundle.presets.apis],
      layout: 'BaseLayout',
    });
  });
})();
