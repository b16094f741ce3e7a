/* budgetlint serve: upload, wait in the queue, show the report sections, filter, mark "not a mistake". */
(function () {
  'use strict';
  var TEXT = {
    zh: {
      title: '预算表一致性检查', drop: '把预算文件或文件夹拖到这里', choose_files: '选择文件', choose_folder: '选择文件夹',
      limits: '每个文件最大 {file}，一次最多 {total}、{count} 个文件。文件只在本机检查，检查完即删除。',
      uploading: '正在上传… {pct}%', queued: '排队中：第 {pos} 位', running: '正在检查…', failed: '检查失败',
      filter: '筛选', error: '错误', warning: '警告', info: '提示', rule: '规则', all_rules: '全部规则',
      download_json: '下载 JSON', download_sarif: '下载 SARIF', download_workbook: '下载批注工作簿',
      file_line: '{name}：{tables} 张表，{findings} 个发现', cannot_read: '无法读取',
      hidden: '另有 {n} 个发现已标记为“不是错误”（记录在 {path}），未列出。',
      not_mistake: '不是错误', reason: '理由（例如：已与财务科核实）', confirm: '确认', cancel: '取消',
      recorded: '已记为不是错误：{reason}', network: '无法连接到 budgetlint 服务，它可能已停止。',
      done: '检查完成：{files} 个文件、{tables} 张表，{errors} 个错误，{warnings} 个警告。'
    },
    en: {
      title: 'Budget table consistency check', drop: 'Drop budget files or a folder here', choose_files: 'Choose files',
      choose_folder: 'Choose a folder',
      limits: 'At most {file} per file, {total} and {count} files per upload. Files are checked on this computer and deleted afterwards.',
      uploading: 'Uploading… {pct}%', queued: 'Waiting: number {pos} in the queue', running: 'Checking…', failed: 'The check failed',
      filter: 'Filter', error: 'error', warning: 'warning', info: 'info', rule: 'rule', all_rules: 'all rules',
      download_json: 'Download JSON', download_sarif: 'Download SARIF', download_workbook: 'download the annotated workbook',
      file_line: '{name}: {tables} tables, {findings} findings', cannot_read: 'cannot read',
      hidden: '{n} more findings marked as not a mistake (recorded in {path}) are not listed.',
      not_mistake: 'Not a mistake', reason: 'Reason (e.g. checked with the finance office)', confirm: 'Confirm', cancel: 'Cancel',
      recorded: 'Recorded as not a mistake: {reason}', network: 'Cannot reach the budgetlint server; it may have stopped.',
      done: 'Checked {files} files, {tables} tables: {errors} errors, {warnings} warnings.'
    }
  };
  function meta(name) { var m = document.querySelector('meta[name="' + name + '"]'); return m ? m.getAttribute('content') : ''; }
  var token = decodeURIComponent(meta('bl-token'));
  var lang = meta('bl-lang') === 'en' ? 'en' : 'zh';
  var T = TEXT[lang];
  var limits = meta('bl-limits').split(' ').map(Number);
  var tab = sessionStorage.getItem('bl-tab');
  if (!tab) {
    var bytes = new Uint8Array(16); crypto.getRandomValues(bytes);
    tab = Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
    sessionStorage.setItem('bl-tab', tab);
  }
  var busy = false;
  var currentJob = null;

  function fmt(s, v) { return s.replace(/\{(\w+)\}/g, function (_, k) { return v[k] === undefined ? '' : String(v[k]); }); }
  function $(id) { return document.getElementById(id); }
  function mb(n) { return (n / 1048576) + ' MB'; }
  function api(path) { return path + (path.indexOf('?') < 0 ? '?' : '&') + 'token=' + encodeURIComponent(token) + '&lang=' + lang; }

  document.querySelectorAll('[data-i18n]').forEach(function (el) { el.textContent = T[el.getAttribute('data-i18n')]; });
  document.title = T.title + ' · budgetlint';
  $('lang-' + lang).classList.add('current');
  $('limits').textContent = fmt(T.limits, { file: mb(limits[0]), total: mb(limits[1]), count: limits[2] });

  function problem(text) {
    var p = $('problem');
    if (text) { p.textContent = text; p.hidden = false; } else { p.textContent = ''; p.hidden = true; }
  }
  function status(text, pct) {
    $('status').hidden = !text;
    $('status-text').textContent = text || '';
    var bar = $('bar'), box = bar.parentNode;
    if (pct === null || pct === undefined) { box.classList.add('indeterminate'); bar.style.width = ''; }
    else { box.classList.remove('indeterminate'); bar.style.width = pct + '%'; }
  }
  function setState(s) { document.body.setAttribute('data-state', s); }

  /* files from a drop, each with the name it is sent under: folders are walked (webkitGetAsEntry) and
     their files keep their path inside the dropped folder (dir/sub/a.xlsx), plain files their name */
  function entryFiles(entry) {
    return new Promise(function (resolve) {
      if (entry.isFile) {
        var name = (entry.fullPath || entry.name).replace(/^\/+/, '');
        entry.file(function (f) { resolve([{ file: f, name: name || f.name }]); }, function () { resolve([]); });
        return;
      }
      if (!entry.isDirectory) { resolve([]); return; }
      var reader = entry.createReader(), all = [];
      (function more() {
        reader.readEntries(function (items) {
          if (!items.length) {
            Promise.all(all.map(entryFiles)).then(function (lists) { resolve([].concat.apply([], lists)); });
            return;
          }
          all = all.concat(Array.prototype.slice.call(items)); more();
        }, function () { resolve([]); });
      })();
    });
  }
  function named(files) {
    return Array.prototype.slice.call(files || []).map(function (f) { return { file: f, name: f.webkitRelativePath || f.name }; });
  }
  function dropped(dt) {
    var items = dt.items ? Array.prototype.slice.call(dt.items) : [];
    var entries = items.map(function (it) { return it.webkitGetAsEntry ? it.webkitGetAsEntry() : null; }).filter(Boolean);
    if (!entries.length) { return Promise.resolve(named(dt.files)); }
    return Promise.all(entries.map(entryFiles)).then(function (lists) { return [].concat.apply([], lists); });
  }

  function upload(files) {
    if (busy) { return; }
    files = files.filter(function (f) { var base = f.name.split('/').pop(); return base && base.charAt(0) !== '.'; });
    if (!files.length) { return; }
    problem(null);
    if (files.length > limits[2]) { problem(fmt(lang === 'en' ? 'Too many files: at most {n} per upload.' : '文件太多：一次最多 {n} 个。', { n: limits[2] })); return; }
    busy = true; setState('uploading');
    var form = new FormData();
    form.append('tab', tab); form.append('lang', lang);
    files.forEach(function (f) { form.append('files', f.file, f.name); });
    var xhr = new XMLHttpRequest();
    xhr.open('POST', api('api/check'));
    xhr.setRequestHeader('X-Budgetlint-Token', token);
    xhr.upload.onprogress = function (e) { if (e.lengthComputable) { status(fmt(T.uploading, { pct: Math.round(100 * e.loaded / e.total) }), 100 * e.loaded / e.total); } };
    xhr.onerror = function () { busy = false; status(null); setState('failed'); problem(T.network); };
    xhr.onload = function () {
      var body = {};
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = { error: xhr.responseText }; }
      if (xhr.status !== 200) { busy = false; status(null); setState('failed'); problem(body.error || ('HTTP ' + xhr.status)); return; }
      currentJob = body.job;
      poll(body.job);
    };
    status(fmt(T.uploading, { pct: 0 }), 0);
    xhr.send(form);
  }

  function poll(job) {
    fetch(api('api/jobs/' + encodeURIComponent(job)), { headers: { 'X-Budgetlint-Token': token } })
      .then(function (r) { return r.json().then(function (b) { return [r.status, b]; }); })
      .then(function (res) {
        var b = res[1];
        if (res[0] !== 200) { finish(); problem(b.error || ('HTTP ' + res[0])); return; }
        if (b.state === 'queued') { setState('queued'); status(fmt(T.queued, { pos: b.position }), null); setTimeout(function () { poll(job); }, 500); return; }
        if (b.state === 'running') { setState('running'); status(T.running, null); setTimeout(function () { poll(job); }, 400); return; }
        if (b.state === 'failed') { finish(); setState('failed'); problem(b.error || T.failed); return; }
        finish(); show(job, b);
      })
      .catch(function () { finish(); setState('failed'); problem(T.network); });
  }
  function finish() { busy = false; status(null); }

  function show(job, b) {
    var s = b.summary;
    $('results').hidden = false;
    $('report').innerHTML = b.html;  /* rendered and escaped by budgetlint's HTML report */
    $('download-json').href = api('api/jobs/' + job + '/report.json');
    $('download-sarif').href = api('api/jobs/' + job + '/report.sarif');
    var list = $('file-list'); list.textContent = '';
    b.files.forEach(function (f, n) {
      var li = document.createElement('li');
      li.textContent = fmt(T.file_line, { name: f.name, tables: f.tables, findings: f.findings });
      if (f.error) { var e = document.createElement('span'); e.className = 'sev-error'; e.textContent = ' ' + T.cannot_read + '：' + f.error; li.appendChild(e); }
      if (f.workbook) {
        var a = document.createElement('a');
        a.className = 'button workbook'; a.href = api('api/jobs/' + job + '/workbook/' + n); a.setAttribute('download', '');
        a.textContent = T.download_workbook; a.setAttribute('data-file', f.name);
        li.appendChild(document.createTextNode(' ')); li.appendChild(a);
      }
      list.appendChild(li);
    });
    var together = $('together'); together.textContent = '';
    (b.together || []).forEach(function (line) { var li = document.createElement('li'); li.textContent = line; together.appendChild(li); });
    together.hidden = !(b.together || []).length;
    var note = $('hidden-note');
    note.hidden = !b.hidden;
    note.textContent = b.hidden ? fmt(T.hidden, { n: b.hidden, path: b.baseline }) : '';
    var problems = (b.stopped || []).slice();
    if (b.baseline_problem) { problems.push(b.baseline_problem); }
    problem(problems.join(' '));
    var sel = $('rule-filter');
    while (sel.options.length > 1) { sel.remove(1); }
    b.rules.forEach(function (code) { var o = document.createElement('option'); o.value = code; o.textContent = code; sel.appendChild(o); });
    wire($('report'));
    applyFilters();
    setState('done');
  }

  /* the report's hover links between findings and cells, scoped to the sections shown */
  function wire(root) {
    function ids(el, attr) { return (el.getAttribute(attr) || '').split(' ').filter(Boolean); }
    function toggle(list, on) { list.forEach(function (id) { var e = document.getElementById(id); if (e) { e.classList[on ? 'add' : 'remove']('bl-focus'); } }); }
    root.querySelectorAll('li.bl-finding').forEach(function (li) {
      var cells = ids(li, 'data-cells').concat(ids(li, 'data-terms'));
      li.addEventListener('mouseenter', function () { toggle(cells, true); });
      li.addEventListener('mouseleave', function () { toggle(cells, false); });
      if (li.getAttribute('data-fingerprint')) { addNotAMistake(li); }
    });
    root.querySelectorAll('td.bl-bad').forEach(function (td) {
      var fs = ids(td, 'data-findings');
      td.addEventListener('mouseenter', function () { toggle(fs, true); });
      td.addEventListener('mouseleave', function () { toggle(fs, false); });
    });
  }

  function addNotAMistake(li) {
    var box = document.createElement('div'); box.className = 'nam';
    var btn = document.createElement('button'); btn.type = 'button'; btn.className = 'button nam-button'; btn.textContent = T.not_mistake;
    box.appendChild(btn); li.appendChild(box);
    btn.addEventListener('click', function () {
      if (box.querySelector('form')) { return; }
      var form = document.createElement('form'); form.className = 'nam-form';
      var text = document.createElement('textarea'); text.placeholder = T.reason; text.maxLength = 500; text.required = true;
      var ok = document.createElement('button'); ok.type = 'submit'; ok.className = 'button nam-confirm'; ok.textContent = T.confirm;
      var no = document.createElement('button'); no.type = 'button'; no.className = 'button'; no.textContent = T.cancel;
      var msg = document.createElement('span'); msg.className = 'nam-error';
      form.appendChild(text); form.appendChild(ok); form.appendChild(no);
      box.appendChild(form); box.appendChild(msg); text.focus();
      no.addEventListener('click', function () { box.removeChild(form); msg.remove(); });
      form.addEventListener('submit', function (e) {
        e.preventDefault();
        var reason = text.value.trim();
        fetch(api('api/baseline'), {
          method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Budgetlint-Token': token },
          body: JSON.stringify({ job: currentJob, fingerprint: li.getAttribute('data-fingerprint'), reason: reason, lang: lang })
        }).then(function (r) { return r.json().then(function (b) { return [r.status, b]; }); })
          .then(function (res) {
            if (res[0] !== 200) { msg.textContent = res[1].error || ('HTTP ' + res[0]); return; }
            box.textContent = '';
            var done = document.createElement('span'); done.className = 'nam-done';
            done.textContent = fmt(T.recorded, { reason: reason }); done.title = res[1].message;
            box.appendChild(done);
            li.classList.add('bl-baselined');
            applyFilters();
          })
          .catch(function () { msg.textContent = T.network; });
      });
    });
  }

  function applyFilters() {
    var sevs = {};
    document.querySelectorAll('.sev-filter').forEach(function (c) { sevs[c.value] = c.checked; });
    var rule = $('rule-filter').value;
    var visible = {};
    document.querySelectorAll('#report li.bl-finding').forEach(function (li) {
      var show = sevs[li.getAttribute('data-severity')] !== false && (!rule || li.getAttribute('data-code') === rule);
      li.classList.toggle('bl-hidden', !show);
      if (show && !li.classList.contains('bl-baselined')) { visible[li.id] = true; }
    });
    document.querySelectorAll('#report td.bl-bad').forEach(function (td) {
      var ids = (td.getAttribute('data-findings') || '').split(' ').filter(Boolean);
      td.classList.toggle('bl-muted', !ids.some(function (id) { return visible[id]; }));
    });
    document.querySelectorAll('#report section.bl-table, #report section.bl-other').forEach(function (sec) {
      var items = sec.querySelectorAll('li.bl-finding');
      var any = !items.length && !rule ? true : Array.prototype.some.call(items, function (li) { return !li.classList.contains('bl-hidden'); });
      sec.classList.toggle('bl-hidden', !any);
    });
  }
  document.querySelectorAll('.sev-filter').forEach(function (c) { c.addEventListener('change', applyFilters); });
  $('rule-filter').addEventListener('change', applyFilters);

  var drop = $('drop');
  ['dragenter', 'dragover'].forEach(function (t) { drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.add('over'); }); });
  drop.addEventListener('dragleave', function () { drop.classList.remove('over'); });
  drop.addEventListener('drop', function (e) { e.preventDefault(); drop.classList.remove('over'); dropped(e.dataTransfer).then(upload); });
  document.addEventListener('dragover', function (e) { e.preventDefault(); });
  document.addEventListener('drop', function (e) { e.preventDefault(); });
  ['files', 'folder'].forEach(function (id) {
    $(id).addEventListener('change', function (e) { var fs = named(e.target.files); e.target.value = ''; upload(fs); });
  });
  setState('ready');
})();
