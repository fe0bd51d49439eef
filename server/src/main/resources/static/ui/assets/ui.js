// Junction web UI: sends the session's CSRF token with every htmx request and signs out.
// Loaded as a file (the Content-Security-Policy allows no inline script).
(function () {
  'use strict';

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)junction_csrf=([^;]*)/);
    return match ? decodeURIComponent(match[1]) : '';
  }

  document.addEventListener('htmx:configRequest', function (event) {
    event.detail.headers['X-CSRF-Token'] = csrfToken();
  });

  document.addEventListener('DOMContentLoaded', function () {
    var signOut = document.getElementById('sign-out');
    if (signOut) {
      signOut.addEventListener('click', function () {
        fetch('/auth/logout', {method: 'POST', headers: {'X-CSRF-Token': csrfToken()}, credentials: 'same-origin'})
          .finally(function () { window.location.assign('/ui/login'); });
      });
    }
  });
})();
