// The pages' one stylesheet and one small script, served by simexit itself
// under versioned names (the name changes with the content, so browsers may
// keep them for a year). Nothing is fetched from anywhere else.

#include "simexit/api/problem.hpp"
#include "simexit/common/crypto.hpp"
#include "simexit/web/page.hpp"
#include "simexit/web/pages.hpp"

namespace simexit::web {
namespace {

// Mobile first: one column, large touch targets; wider screens get a centred
// column. Colours meet WCAG AA contrast.
constexpr std::string_view kStylesheet = R"css(*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#1b1b1b;background:#f6f7f9}
a{color:#0b57a4}a:focus,button:focus,input:focus,select:focus{outline:3px solid #f0b400;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:.5rem;top:.5rem;background:#fff;padding:.5rem;z-index:2}
.top{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;padding:.6rem 1rem;background:#0b3d6e;color:#fff}
.top a{color:#fff}.brand{font-weight:700;text-decoration:none;margin-right:auto}
.langs{display:flex;gap:.6rem;font-size:.9rem}.langs a[aria-current]{font-weight:700;text-decoration:none}
.signout{margin:0}.link{background:none;border:0;color:#fff;text-decoration:underline;font:inherit;padding:0;cursor:pointer}
main{display:block;max-width:40rem;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;line-height:1.25;margin:.5rem 0 1rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
.card{background:#fff;border:1px solid #d5d9de;border-radius:8px;padding:1rem;margin:0 0 1rem}
label{display:block;font-weight:600;margin:.8rem 0 .3rem}
.hint{display:block;font-weight:400;color:#4a4f55;font-size:.9rem}
input[type=text],input[type=tel],input[type=date],input[type=password],select{width:100%;font:inherit;padding:.6rem;border:1px solid #6b7178;border-radius:6px;background:#fff}
input[aria-invalid=true]{border-color:#b00020;border-width:2px}
fieldset{border:0;padding:0;margin:.8rem 0}legend{font-weight:600;padding:0}
.choice{display:flex;align-items:center;gap:.5rem;font-weight:400;margin:.4rem 0}
.choice input{width:1.3rem;height:1.3rem}
button,.button{display:inline-block;font:inherit;font-weight:600;padding:.7rem 1.2rem;border-radius:6px;border:0;background:#0b57a4;color:#fff;cursor:pointer;text-decoration:none;margin:.8rem .5rem 0 0;min-height:44px}
button.secondary,.button.secondary{background:#e4e7eb;color:#1b1b1b}button.danger{background:#b00020}
.error{color:#b00020;font-weight:600;margin:.3rem 0}
.notice{background:#e8f1fb;border-left:4px solid #0b57a4;padding:.6rem .8rem;margin:0 0 1rem}
.alert{background:#fdecee;border-left:4px solid #b00020;padding:.6rem .8rem;margin:0 0 1rem}
dl{display:grid;grid-template-columns:fit-content(45%) 1fr;gap:.3rem 1rem;margin:0}dt{color:#4a4f55}dd{margin:0;font-weight:600;min-width:0;overflow-wrap:anywhere}
.quote p{margin:.3rem 0}ul.card{padding-left:2rem}ul.card li{margin:.3rem 0}.timeline{list-style:none;padding:0;margin:0}
.timeline li{border-left:3px solid #0b57a4;padding:.2rem 0 .6rem .8rem}.timeline time{display:block;color:#4a4f55;font-size:.9rem}
footer{max-width:40rem;margin:2rem auto;padding:0 1rem;color:#4a4f55;font-size:.85rem}
main:has(.sections){max-width:72rem}
.console-top{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem;margin:0 0 1rem}.console-top p,.console-top form{margin:0}.console-top button{margin:0}
.sections{display:flex;flex-wrap:wrap;gap:.25rem 1rem}.sections a{font-weight:600}
ul.actions{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:.5rem}ul.actions .button{margin:0}
table{border-collapse:collapse;width:100%;background:#fff}th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #d5d9de}
.timeline .actor,.timeline .detail{color:#4a4f55;font-size:.9rem}tr.overdue td{background:#fdecee}strong.overdue{color:#b00020}
.tallies{display:grid;gap:0 2rem}@media (min-width:48rem){.tallies{grid-template-columns:1fr 1fr}}table.counts td{text-align:right}
.chart{margin:0 0 .5rem;background:#fff;padding:.5rem;border:1px solid #d5d9de;border-radius:6px}.chart svg{width:100%;height:auto;display:block}
.chart .bar{fill:#0b57a4}.chart .axis{stroke:#6b7178;stroke-width:1}.chart .tick{font-size:11px;fill:#4a4f55}.chart .tick.end{text-anchor:end}
.scroll{overflow-x:auto}.chart figcaption{color:#4a4f55;font-size:.9rem}td form{margin:0}td form button{margin:0;min-height:2.2rem;padding:.2rem .8rem}
textarea.mrz{width:100%;font:1rem/1.4 ui-monospace,"DejaVu Sans Mono",monospace;padding:.6rem;border:1px solid #6b7178;border-radius:6px;text-transform:uppercase}
textarea[aria-invalid=true]{border-color:#b00020;border-width:2px}
.mrz-live{min-height:1.5em;margin:.3rem 0;font-weight:600}.mrz-live.bad{color:#b00020}.mrz-live.good{color:#1e6b34}
@media (min-width:64rem){form.request{display:grid;grid-template-columns:1fr 1fr;gap:0 2rem}form.request>button,form.request>p{grid-column:1/-1}}
ul.uploads{list-style:none;padding:0}ul.uploads progress{width:12rem;margin-left:.5rem}
@media (min-width:48rem){main{padding:2rem 1rem}h1{font-size:1.7rem}}
@media print{.top,footer,.noprint{display:none}body{background:#fff}}
)css";

// Progressive help only: pages work without it. Live check of phone numbers
// and the refund destination's hint following the chosen method; in the
// console, the MRZ's check digits as it is typed and scans uploaded with a
// progress bar.
constexpr std::string_view kScript = R"js("use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input[data-check=msisdn]").forEach(function (input) {
    var message = document.getElementById(input.id + "-live");
    input.addEventListener("input", function () {
      var digits = input.value.replace(/[\s()+-]/g, "");
      var ok = digits === "" || /^[0-9]{8,15}$/.test(digits);
      input.setAttribute("aria-invalid", ok ? "false" : "true");
      if (message) message.hidden = ok;
    });
  });
  var method = document.querySelectorAll("input[name=refund_method]");
  var destination = document.getElementById("refund_destination");
  method.forEach(function (radio) {
    radio.addEventListener("change", function () {
      if (destination && radio.checked) destination.placeholder = radio.dataset.example || "";
    });
  });
  var when = document.querySelectorAll("input[name=when]");
  var date = document.getElementById("close_date");
  when.forEach(function (radio) {
    radio.addEventListener("change", function () {
      if (date && radio.checked) date.disabled = radio.value !== "date";
    });
  });
  // The MRZ as it is typed or scanned: each check digit (ICAO 9303, weights
  // 7-3-1) checked, the failing one named. The server checks it again.
  function mrzValue(c) {
    if (c >= "0" && c <= "9") return c.charCodeAt(0) - 48;
    if (c >= "A" && c <= "Z") return c.charCodeAt(0) - 55;
    return 0;
  }
  function mrzDigit(text) {
    var sum = 0;
    for (var i = 0; i < text.length; i++) sum += mrzValue(text[i]) * [7, 3, 1][i % 3];
    return String(sum % 10);
  }
  function mrzCheck(raw) {
    var lines = raw.toUpperCase().split(/[\n|]/).map(function (l) { return l.replace(/\s/g, ""); })
      .filter(function (l) { return l !== ""; });
    var fields;
    if (lines.length === 2 && lines[0].length === 44 && lines[1].length === 44) {
      var b = lines[1];
      fields = [["document_number", b.slice(0, 9), b[9]], ["birth_date", b.slice(13, 19), b[19]],
        ["expiry_date", b.slice(21, 27), b[27]], ["personal_number", b.slice(28, 42), b[42] === "<" ? "0" : b[42]],
        ["composite", b.slice(0, 10) + b.slice(13, 20) + b.slice(21, 43), b[43]]];
    } else if (lines.length === 3 && lines.every(function (l) { return l.length === 30; })) {
      var a = lines[0], c = lines[1];
      fields = [["document_number", a.slice(5, 14), a[14]], ["birth_date", c.slice(0, 6), c[6]],
        ["expiry_date", c.slice(8, 14), c[14]],
        ["composite", a.slice(5, 30) + c.slice(0, 7) + c.slice(8, 15) + c.slice(18, 29), c[29]]];
    } else {
      return "layout";
    }
    for (var i = 0; i < fields.length; i++) {
      if (mrzDigit(fields[i][1]) !== fields[i][2]) return fields[i][0];
    }
    return "";
  }
  document.querySelectorAll("textarea.mrz").forEach(function (area) {
    var live = document.getElementById(area.id + "-live");
    function show() {
      if (!live) return;
      if (area.value.trim() === "") { live.textContent = ""; live.className = "mrz-live"; return; }
      var wrong = mrzCheck(area.value);
      live.dataset.failing = wrong;
      live.className = "mrz-live " + (wrong === "" ? "good" : "bad");
      live.textContent = wrong === "" ? area.dataset.ok : wrong === "layout" ? area.dataset.layout
        : area.dataset.wrong.replace("{part}", area.getAttribute("data-part-" + wrong) || wrong);
    }
    area.addEventListener("input", show);
    show();
  });
  // Scans: each chosen file is sent at once with its progress shown; its id
  // goes into the upload_ids field the form posts.
  document.querySelectorAll(".uploader").forEach(function (box) {
    box.hidden = false;
    var input = box.querySelector("input[type=file]");
    var list = box.querySelector("ul.uploads");
    var ids = document.getElementById("upload_ids");
    input.addEventListener("change", function () {
      Array.prototype.forEach.call(input.files, function (file) {
        var item = document.createElement("li");
        var bar = document.createElement("progress");
        bar.max = 100; bar.value = 0;
        bar.setAttribute("aria-label", file.name);
        item.textContent = file.name;
        item.appendChild(bar);
        list.appendChild(item);
        var xhr = new XMLHttpRequest();
        xhr.open("POST", "/console/uploads?filename=" + encodeURIComponent(file.name));
        xhr.setRequestHeader("X-CSRF-Token", box.dataset.csrf);
        xhr.upload.addEventListener("progress", function (e) {
          if (e.lengthComputable) bar.value = Math.round(100 * e.loaded / e.total);
        });
        function done() {
          var id = "";
          try { id = JSON.parse(xhr.responseText).id || ""; } catch (err) { id = ""; }
          var note = document.createElement("span");
          if (xhr.status === 201 && id) {
            bar.value = 100;
            note.textContent = " " + box.dataset.uploaded;
            item.dataset.id = id;
            ids.value = ids.value ? ids.value + "," + id : id;
          } else {
            note.textContent = " " + box.dataset.failed;
            note.className = "error";
          }
          item.appendChild(note);
        }
        xhr.addEventListener("load", done);
        xhr.addEventListener("error", done);
        xhr.send(file);
      });
    });
  });
  var invalid = document.querySelector("[aria-invalid=true]");
  if (invalid) invalid.focus();
});
)js";

struct Asset {
  std::string path;
  std::string_view content;
  const char* type;
};

const Asset& Stylesheet() {
  static const Asset asset{"/assets/site." + HashHex(kStylesheet).substr(0, 12) + ".css",
                           kStylesheet, "text/css; charset=utf-8"};
  return asset;
}

const Asset& Script() {
  static const Asset asset{"/assets/site." + HashHex(kScript).substr(0, 12) + ".js", kScript,
                           "text/javascript; charset=utf-8"};
  return asset;
}

}  // namespace

const std::string& StylesheetPath() { return Stylesheet().path; }
const std::string& ScriptPath() { return Script().path; }

void AddAssetRoutes(api::Router& router) {
  router.Add("GET", "/assets/{name}", [](const api::HttpRequest& request, const api::PathParams&) {
    for (const Asset* asset : {&Stylesheet(), &Script()}) {
      if (request.path == asset->path) {
        api::HttpResponse response;
        response.content_type = asset->type;
        response.body = std::string(asset->content);
        response.headers.emplace_back("Cache-Control", "public, max-age=31536000, immutable");
        response.headers.emplace_back("X-Content-Type-Options", "nosniff");
        return response;
      }
    }
    return api::ProblemFor("route_not_found", "No resource exists at this path.");
  });
}

}  // namespace simexit::web
