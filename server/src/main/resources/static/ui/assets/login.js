// Junction sign-in: posts the form as JSON to /auth/login, then returns to the page asked for.
(function () {
  'use strict';

  document.addEventListener('DOMContentLoaded', function () {
    var form = document.getElementById('login-form');
    var error = document.getElementById('login-error');
    var sso = document.getElementById('sso');
    if (sso) { // single sign-on into the workspace typed above
      form.elements.workspace.addEventListener('input', function () {
        var ws = form.elements.workspace.value.trim();
        sso.href = '/auth/oidc/start' + (ws ? '?workspace=' + encodeURIComponent(ws) : '');
      });
    }

    function show(message) {
      error.textContent = message;
      error.hidden = false;
    }

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      error.hidden = true;
      var body = {
        workspace: form.elements.workspace.value.trim() || 'default',
        login: form.elements.login.value.trim(),
        password: form.elements.password.value
      };
      if (!body.login || !body.password) {
        show('Enter your login and password.');
        (body.login ? form.elements.password : form.elements.login).focus();
        return;
      }
      form.querySelector('button[type=submit]').disabled = true;
      fetch('/auth/login', {
        method: 'POST',
        headers: {'Content-Type': 'application/json', 'Accept': 'application/json'},
        credentials: 'same-origin',
        body: JSON.stringify(body)
      }).then(function (response) {
        if (response.ok) {
          window.location.assign(form.dataset.next || '/ui/flows');
          return null;
        }
        return response.json().catch(function () { return {}; }).then(function (problem) {
          show(problem.detail || ('Sign-in failed (HTTP ' + response.status + ').'));
          form.elements.password.value = '';
          form.elements.password.focus();
        });
      }).catch(function () {
        show('The server could not be reached; try again.');
      }).finally(function () {
        form.querySelector('button[type=submit]').disabled = false;
      });
    });
  });
})();
