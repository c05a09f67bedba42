// Zhenwu: small progressive enhancements. No inline scripts (CSP); every page works without JS.
(function () {
  "use strict";

  // A live search that ends on the login page (idle timeout, logged out elsewhere) must not
  // paint the login form inside the results: go to the login page itself.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && xhr.responseURL && xhr.responseURL.indexOf("/accounts/login/") !== -1) {
      event.detail.shouldSwap = false;
      window.location.assign(xhr.responseURL);
    }
  });

  // A failed live search (server error, 403) reloads the page through a normal request,
  // which shows the proper error page instead of leaving stale results on screen.
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && xhr.responseURL) {
      window.location.assign(xhr.responseURL);
    }
  });
})();
