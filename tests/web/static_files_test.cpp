#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "candor/web/static_files.h"

using namespace candor::web;
namespace fs = std::filesystem;

namespace {

// A scratch static root with a file inside, a secret outside it, and a symlink leading out.
struct Scratch {
  fs::path dir = fs::temp_directory_path() /
                 ("candor-static-" + std::to_string(reinterpret_cast<std::uintptr_t>(this)));
  fs::path root = dir / "static";
  Scratch() {
    fs::remove_all(dir);
    fs::create_directories(root / "css");
    write(root / "css" / "site.css", "body { color: black }\n");
    write(root / "logo.svg", "<svg/>");
    write(root / ".hidden.css", "x");
    write(root / "notes.unknown", "x");
    write(dir / "secret.css", "secret");
    fs::create_symlink(dir / "secret.css", root / "link.css");
  }
  ~Scratch() { fs::remove_all(dir); }
  static void write(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
  }
};

Request request_for(std::string_view raw, std::string if_none_match = "") {
  Request r;
  r.target = "/static/" + std::string{raw};
  if (!if_none_match.empty()) r.headers.set("If-None-Match", if_none_match);
  return r;
}

int status_of(const StaticFiles& files, std::string_view raw) {
  try {
    return files.serve(request_for(raw), raw).status;
  } catch (const HttpError& e) {
    return e.status();
  }
}

}  // namespace

TEST_CASE("static: safe_static_path refuses traversal in every spelling", "[static]") {
  for (const char* raw : {"..",
                          "../secret.css",
                          "css/../../secret.css",
                          "css/..",
                          "./css/site.css",
                          "css/./site.css",
                          "%2e%2e/secret.css",
                          "%2E%2E/secret.css",
                          "%2e%2e%2fsecret.css",
                          "css%2f..%2f..%2fsecret.css",
                          "..%5csecret.css",
                          "..\\secret.css",
                          "css\\site.css",
                          "site.css%00.png",
                          "%252e%252e/secret.css",
                          "/etc/passwd",
                          "%2fetc/passwd",
                          "css//site.css",
                          "",
                          ".hidden.css",
                          "css/.git/config",
                          "%zz",
                          "a%",
                          "c:/x.css",
                          "css/site.css%0a",
                          "\x7f.css"}) {
    INFO("raw: " << raw);
    CHECK_FALSE(safe_static_path(raw).has_value());
  }
  CHECK(safe_static_path("css/site.css") == "css/site.css");
  CHECK(safe_static_path("css/a%20b.css") == "css/a b.css");
  CHECK(safe_static_path("govuk/govuk-frontend.min.css") == "govuk/govuk-frontend.min.css");
  CHECK(safe_static_path("a..b.css") == "a..b.css");  // dots inside a name are fine
}

TEST_CASE("static: NUL inside the raw path is refused", "[static]") {
  const std::string raw("site.css\0.png", 13);
  CHECK_FALSE(safe_static_path(raw).has_value());
}

TEST_CASE("static: serving files with content types, ETag and Cache-Control", "[static]") {
  Scratch s;
  StaticFiles files(s.root);
  const Response css = files.serve(request_for("css/site.css"), "css/site.css");
  CHECK(css.status == 200);
  CHECK(css.body == "body { color: black }\n");
  CHECK(css.headers.get("Content-Type") == "text/css; charset=utf-8");
  CHECK(css.headers.get("Cache-Control") == k_static_cache_control);
  const std::string etag{css.headers.get("ETag").value()};
  CHECK(etag.size() == 34);
  CHECK(etag.front() == '"');

  CHECK(files.serve(request_for("logo.svg"), "logo.svg").headers.get("Content-Type") ==
        "image/svg+xml");

  SECTION("If-None-Match answers 304 without a body") {
    for (const std::string& inm : {etag, "W/" + etag, "\"other\", " + etag, std::string{"*"}}) {
      const Response again = files.serve(request_for("css/site.css", inm), "css/site.css");
      CHECK(again.status == 304);
      CHECK(again.body.empty());
      CHECK(again.headers.get("ETag") == etag);
      CHECK(again.headers.get("Content-Length") == "22");
    }
    CHECK(files.serve(request_for("css/site.css", "\"other\""), "css/site.css").status == 200);
  }

  SECTION("an edited file gets a new ETag") {
    Scratch::write(s.root / "css" / "site.css", "body { color: navy }\n");
    fs::last_write_time(s.root / "css" / "site.css",
                        fs::file_time_type::clock::now() + std::chrono::seconds(5));
    const Response edited = files.serve(request_for("css/site.css"), "css/site.css");
    CHECK(edited.body == "body { color: navy }\n");
    CHECK(edited.headers.get("ETag") != etag);
  }
}

TEST_CASE("static: refusals are plain 404s", "[static]") {
  Scratch s;
  StaticFiles files(s.root);
  CHECK(status_of(files, "missing.css") == 404);
  CHECK(status_of(files, "../secret.css") == 404);
  CHECK(status_of(files, "%2e%2e/secret.css") == 404);
  CHECK(status_of(files, "link.css") == 404);       // a symlink out of the root
  CHECK(status_of(files, "css") == 404);            // a directory
  CHECK(status_of(files, "notes.unknown") == 404);  // a type we do not serve
  CHECK(status_of(files, ".hidden.css") == 404);
}

TEST_CASE("static: content types by extension", "[static]") {
  CHECK(static_content_type("a.CSS") == "text/css; charset=utf-8");
  CHECK(static_content_type("a.js") == "text/javascript; charset=utf-8");
  CHECK(static_content_type("f.woff2") == "font/woff2");
  CHECK(static_content_type("i.png") == "image/png");
  CHECK_FALSE(static_content_type("a.html").has_value());
  CHECK_FALSE(static_content_type("Makefile").has_value());
}
