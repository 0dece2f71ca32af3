// Mustache templates (kainjow mustache) for the HTML pages.
//
// Escaping: {{name}} is HTML-escaped (& < > " ' become entities), so data from records can never
// become markup. Raw output ({{{name}}} or {{&name}}) is allowed only where a test lists it
// (tests/web/templates_test.cpp): the layout's page body, rendered by us from escaped parts.
//
// A view is JSON: objects, arrays, strings and booleans as usual; numbers print as in JSON;
// null is false. {{> name}} includes templates/name.mustache (a view key of the same name wins).
//
// Pages: render_page(name, view) renders `name`, then the layout ("layout") with the same view
// plus `content` (the page's HTML). The layout reads `title` (the <title> text; required) and
// the navigation flags `nav_home`, `nav_search`, `nav_statistics`, `nav_about` (true marks the
// current section), and `feed_url` (an extra Atom feed to advertise).
#pragma once

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace candor::web {

class TemplateError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Templates {
 public:
  // The templates compiled into the binary from web/templates/*.mustache.
  static Templates embedded();
  // Templates read from DIR/*.mustache at every render, so edits show without a restart
  // (`candor serve --templates web/templates`, for development).
  static Templates from_directory(std::filesystem::path dir);

  // Throws TemplateError if the template is missing or does not compile.
  std::string render(std::string_view name, const nlohmann::json& view) const;
  std::string render_page(std::string_view name, const nlohmann::json& view) const;

  // Template names (file names without .mustache), sorted.
  std::vector<std::string> names() const;
  // The source of one template; throws TemplateError if missing.
  std::string source(std::string_view name) const;
  // Compiles every template; one message per broken template ("name: error"), empty if all good.
  std::vector<std::string> check() const;

 public:
  struct Source;  // where the texts come from (defined in templates.cpp)

 private:
  explicit Templates(std::shared_ptr<const Source> source);
  std::shared_ptr<const Source> source_;
};

}  // namespace candor::web
