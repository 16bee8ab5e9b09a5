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
dl{display:grid;grid-template-columns:auto 1fr;gap:.3rem 1rem;margin:0}dt{color:#4a4f55}dd{margin:0;font-weight:600;min-width:0;overflow-wrap:anywhere}
.quote p{margin:.3rem 0}ul.card{padding-left:2rem}ul.card li{margin:.3rem 0}.timeline{list-style:none;padding:0;margin:0}
.timeline li{border-left:3px solid #0b57a4;padding:.2rem 0 .6rem .8rem}.timeline time{display:block;color:#4a4f55;font-size:.9rem}
footer{max-width:40rem;margin:2rem auto;padding:0 1rem;color:#4a4f55;font-size:.85rem}
@media (min-width:48rem){main{padding:2rem 1rem}h1{font-size:1.7rem}}
@media print{.top,footer,.noprint{display:none}body{background:#fff}}
)css";

// Progressive help only: pages work without it. Live check of phone numbers
// and the refund destination's hint following the chosen method.
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
