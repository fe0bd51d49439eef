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

  // Regions that poll (data-pause-hidden, such as the dashboard's figures) skip their refresh while
  // the tab is hidden (htmx re-arms the poll all the same) and refresh at once when it is shown.
  document.addEventListener('htmx:beforeRequest', function (event) {
    if (document.hidden && event.detail.elt.hasAttribute('data-pause-hidden')) {
      event.preventDefault();
    }
  });
  document.addEventListener('visibilitychange', function () {
    if (!document.hidden) {
      document.querySelectorAll('[data-pause-hidden]').forEach(function (el) { htmx.trigger(el, 'resume'); });
    }
  });

  document.addEventListener('DOMContentLoaded', function () {
    var known = document.getElementById('known-workspaces');
    if (known) { // the workspaces signed into on this browser (login.js keeps the list)
      var names = [];
      try {
        names = JSON.parse(window.localStorage.getItem('junction.workspaces') || '[]');
      } catch (e) {
        names = [];
      }
      names.forEach(function (name) {
        var item = document.createElement('li');
        var link = document.createElement('a');
        link.href = '/ui/login?workspace=' + encodeURIComponent(name);
        link.textContent = name;
        item.appendChild(link);
        known.appendChild(item);
      });
      known.hidden = names.length === 0;
    }
    var signOut = document.getElementById('sign-out');
    if (signOut) {
      signOut.addEventListener('click', function () {
        fetch('/auth/logout', {method: 'POST', headers: {'X-CSRF-Token': csrfToken()}, credentials: 'same-origin'})
          .finally(function () { window.location.assign('/ui/login'); });
      });
    }
  });
})();
