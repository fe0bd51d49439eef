// Junction web UI, flow editor: turns the source textarea into a CodeMirror 5 editor with YAML
// highlighting, keeps the textarea in step (htmx posts the textarea), asks the server to check the
// source on a pause in typing (the textarea's hx-trigger "flow-changed"), but not once a save has
// been sent (its answer must stay: a late check would replace "not saved"), marks each
// problem's line, and moves the cursor to a problem or a step when it is clicked. Without
// CodeMirror the textarea stays a plain, working textarea. Loaded as a file (the CSP allows no
// inline script); CodeMirror sets its styles through the CSSOM, which the CSP allows.
(function () {
  'use strict';

  var PAUSE_MS = 800;
  var editor = null;
  var marked = [];
  var pending = null;

  // Asks for a check once typing has paused.
  function changed() {
    clearTimeout(pending);
    pending = setTimeout(function () {
      pending = null;
      textarea().dispatchEvent(new CustomEvent('flow-changed', {bubbles: true}));
    }, PAUSE_MS);
  }

  function textarea() {
    return document.getElementById('flow-source');
  }

  function clearMarks() {
    marked.forEach(function (handle) {
      editor.removeLineClass(handle, 'background', 'problem-line');
      editor.setGutterMarker(handle, 'problem-gutter', null);
    });
    marked = [];
  }

  function marker(text) {
    var el = document.createElement('span');
    el.className = 'problem-marker';
    el.textContent = '!';
    el.title = text;
    return el;
  }

  // After every check: mark the lines of the problems the server answered.
  function markProblems() {
    if (!editor) {
      return;
    }
    clearMarks();
    document.querySelectorAll('#flow-check .problem[data-line]').forEach(function (button) {
      var line = parseInt(button.getAttribute('data-line'), 10) - 1;
      if (line < 0 || line >= editor.lineCount()) {
        return;
      }
      var handle = editor.addLineClass(line, 'background', 'problem-line');
      editor.setGutterMarker(handle, 'problem-gutter', marker(button.textContent));
      marked.push(handle);
    });
  }

  // Puts the cursor on a 1-based line and column, in CodeMirror or the plain textarea.
  function goTo(line, column) {
    if (editor) {
      editor.focus();
      editor.setCursor({line: line - 1, ch: Math.max(column - 1, 0)});
      editor.scrollIntoView(null, 80);
      return;
    }
    var area = textarea();
    var lines = area.value.split('\n');
    var offset = 0;
    for (var i = 0; i < line - 1 && i < lines.length; i++) {
      offset += lines[i].length + 1;
    }
    offset += Math.max(column - 1, 0);
    area.focus();
    area.setSelectionRange(offset, offset);
  }

  function target(event) {
    var el = event.target.closest('#flow-check .problem[data-line], #flow-check .box[data-line]');
    return el && document.getElementById('flow-source') ? el : null;
  }

  document.addEventListener('click', function (event) {
    var el = target(event);
    if (el) {
      goTo(parseInt(el.getAttribute('data-line'), 10), parseInt(el.getAttribute('data-column') || '1', 10));
    }
  });

  document.addEventListener('keydown', function (event) {
    var el = target(event);
    if (el && el.classList.contains('box') && (event.key === 'Enter' || event.key === ' ')) {
      event.preventDefault();
      goTo(parseInt(el.getAttribute('data-line'), 10), 1);
    }
  });

  document.addEventListener('htmx:beforeRequest', function (event) {
    if (event.detail.elt && event.detail.elt.id === 'flow-editor') {
      clearTimeout(pending); // saving checks too
      pending = null;
    }
  });

  document.addEventListener('htmx:afterSwap', function (event) {
    if (event.detail.target && event.detail.target.id === 'flow-check') {
      markProblems();
    }
  });

  document.addEventListener('DOMContentLoaded', function () {
    var area = textarea();
    if (!area) {
      return;
    }
    if (typeof window.CodeMirror !== 'function') {
      area.addEventListener('input', changed); // no editor script: the labelled textarea as it is
      return;
    }
    editor = window.CodeMirror.fromTextArea(area, {
      mode: 'yaml',
      lineNumbers: true,
      indentUnit: 2,
      tabSize: 2,
      gutters: ['problem-gutter', 'CodeMirror-linenumbers'],
      screenReaderLabel: 'Definition (YAML or JSON)',
      // Tab and Shift-Tab move the focus, as everywhere else on the page (no keyboard trap)
      extraKeys: {'Tab': false, 'Shift-Tab': false}
    });
    var input = editor.getInputField();
    input.setAttribute('aria-describedby', 'flow-source-hint');
    input.id = 'flow-source-input';
    var label = document.querySelector('label[for="flow-source"]');
    if (label) {
      label.setAttribute('for', 'flow-source-input');
    }
    editor.on('change', function () {
      editor.save();
      changed();
    });
    markProblems();
  });
})();
