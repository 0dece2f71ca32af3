#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "candor/web/templates.h"

using namespace candor::web;
namespace fs = std::filesystem;

TEST_CASE("templates: {{x}} escapes markup and quotes", "[templates]") {
  const fs::path dir = fs::temp_directory_path() / "candor-templates-test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "probe.mustache")
      << "<p title=\"{{x}}\">{{x}}</p>{{#list}}<i>{{.}}</i>{{/list}}";
  const Templates templates = Templates::from_directory(dir);
  const std::string html =
      templates.render("probe", {{"x", "<script>alert(\"x\")</script>'&"}, {"list", {"<b>"}}});
  CHECK(html ==
        "<p title=\"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&apos;&amp;\">"
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&apos;&amp;</p><i>&lt;b&gt;</i>");
  fs::remove_all(dir);
}

TEST_CASE("templates: JSON views: numbers print, null and false hide sections", "[templates]") {
  const fs::path dir = fs::temp_directory_path() / "candor-templates-view";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "v.mustache") << "{{n}} {{#flag}}yes{{/flag}}{{^none}}no{{/none}} {{> part}}";
  std::ofstream(dir / "part.mustache") << "[{{n}}]";
  const Templates templates = Templates::from_directory(dir);
  CHECK(templates.render("v", {{"n", 42}, {"flag", false}, {"none", nullptr}}) == "42 no [42]");
  CHECK_THROWS_AS(templates.render("missing", {}), TemplateError);
  CHECK_THROWS_AS(templates.render("../v", {}), TemplateError);
  fs::remove_all(dir);
}

TEST_CASE("templates: every embedded template compiles and matches the source tree",
          "[templates]") {
  const Templates embedded = Templates::embedded();
  CHECK(embedded.check().empty());
  const Templates source = Templates::from_directory(fs::path(CANDOR_SOURCE_DIR) / "web/templates");
  CHECK(embedded.names() == source.names());
  for (const auto& name : {"layout", "home", "about", "search", "error"}) {
    INFO(name);
    CHECK(embedded.source(name) == source.source(name));
  }
}

// Raw output defeats escaping; each use must be justified here.
TEST_CASE("templates: raw output only where reviewed, no inline script or style", "[templates]") {
  const std::set<std::string> allowed = {
      "layout:content",       // the page body, itself rendered from escaped templates
      "search:snippet_html",  // highlight_marks(): escaped text plus <mark> elements
  };
  const Templates templates = Templates::embedded();
  const std::regex raw(R"(\{\{\{\s*([^}\s]+)\s*\}\}\}|\{\{&\s*([^}\s]+)\s*\}\})");
  for (const std::string& name : templates.names()) {
    const std::string text = templates.source(name);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), raw);
         it != std::sregex_iterator(); ++it) {
      const std::string var = (*it)[1].matched ? (*it)[1].str() : (*it)[2].str();
      INFO(name << ":" << var);
      CHECK(allowed.count(name + ":" + var) == 1);
    }
    INFO(name);
    // The Content-Security-Policy forbids these; they would silently not work.
    CHECK(text.find("<script") == std::string::npos);
    CHECK(text.find("<style") == std::string::npos);
    CHECK(text.find(" style=") == std::string::npos);
    CHECK_FALSE(std::regex_search(text, std::regex(R"(\son[a-z]+=)")));
    CHECK(text.find("javascript:") == std::string::npos);
  }
}

TEST_CASE("templates: the layout wraps a page", "[templates]") {
  const Templates templates = Templates::embedded();
  const std::string html =
      templates.render_page("about", {{"title", "About <x>"}, {"nav_about", true}});
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("<html lang=\"en\"") != std::string::npos);
  CHECK(html.find("<title>About &lt;x&gt; – Candor AI register</title>") != std::string::npos);
  CHECK(html.find("<main class=\"govuk-main-wrapper\" id=\"main-content\">") != std::string::npos);
  CHECK(html.find("href=\"#main-content\" class=\"govuk-skip-link\"") != std::string::npos);
}

// Compiled templates are cached per thread: concurrent renders must agree with a single one.
TEST_CASE("templates: renders on many threads at once give the same pages", "[templates]") {
  const Templates templates = Templates::embedded();
  const nlohmann::json view = {{"title", "Find <out>"}, {"nav_home", true}, {"has_store", true}};
  const std::string expected = templates.render_page("home", view);
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        if (templates.render_page("home", view) != expected) ++mismatches;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(mismatches == 0);
  CHECK(expected.find("Find &lt;out&gt;") != std::string::npos);
}
