#include "candor/web/templates.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

#include <kainjow/mustache.hpp>

#include "embedded_templates.h"

namespace candor::web {

namespace mstch = kainjow::mustache;

struct Templates::Source {
  std::optional<std::filesystem::path> dir;               // read at every render, or
  std::map<std::string, std::string, std::less<>> texts;  // compiled in
  // For compiled-in texts: the partials each template includes, found once (partials_used).
  std::map<std::string, std::set<std::string>, std::less<>> partials;
  // Distinguishes sources in the per-thread cache of compiled templates (an address could be
  // reused by a later source with other texts).
  std::uint64_t id = next_id();

  static std::uint64_t next_id() {
    static std::atomic<std::uint64_t> counter{0};
    return ++counter;
  }

  std::optional<std::string> find(std::string_view name) const {
    if (!dir) {
      auto it = texts.find(name);
      if (it == texts.end()) return std::nullopt;
      return it->second;
    }
    // Names come from our code, but a directory read must still never leave the directory.
    const bool plain = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
    if (!plain) return std::nullopt;
    std::ifstream in(*dir / (std::string{name} + ".mustache"), std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

  std::vector<std::string> names() const {
    std::vector<std::string> out;
    if (!dir) {
      for (const auto& [name, text] : texts) out.push_back(name);
      return out;
    }
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(*dir, ec)) {
      if (entry.path().extension() == ".mustache") out.push_back(entry.path().stem().string());
    }
    std::sort(out.begin(), out.end());
    return out;
  }
};

namespace {

mstch::data to_data(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::object: {
      mstch::data object{mstch::data::type::object};
      for (const auto& [key, item] : value.items()) object.set(key, to_data(item));
      return object;
    }
    case nlohmann::json::value_t::array: {
      mstch::data list{mstch::data::type::list};
      for (const auto& item : value) list.push_back(to_data(item));
      return list;
    }
    case nlohmann::json::value_t::string:
      return mstch::data{value.get<std::string>()};
    case nlohmann::json::value_t::boolean:
      return mstch::data{value.get<bool>()};
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::discarded:
      return mstch::data{false};
    default:  // numbers
      return mstch::data{value.dump()};
  }
}

// The partials `name` includes ({{> other}}), directly or through other partials.
std::set<std::string> partials_used(const Templates::Source& source, std::string_view name) {
  static const std::regex k_partial(R"(\{\{>\s*([A-Za-z0-9_-]+)\s*\}\})");
  std::set<std::string> found;
  std::vector<std::string> pending{std::string{name}};
  while (!pending.empty()) {
    const std::string current = std::move(pending.back());
    pending.pop_back();
    const std::string text = source.find(current).value_or("");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), k_partial);
         it != std::sregex_iterator(); ++it) {
      if (found.insert((*it)[1].str()).second) pending.push_back((*it)[1].str());
    }
  }
  return found;
}

}  // namespace

Templates::Templates(std::shared_ptr<const Source> source) : source_(std::move(source)) {}

Templates Templates::embedded() {
  auto source = std::make_shared<Source>();
  for (const EmbeddedTemplate& t : embedded_templates()) {
    source->texts.emplace(std::string{t.name}, std::string{t.text()});
  }
  for (const auto& [name, text] : source->texts) source->partials[name] = partials_used(*source, name);
  return Templates{std::move(source)};
}

Templates Templates::from_directory(std::filesystem::path dir) {
  if (!std::filesystem::is_directory(dir)) {
    throw TemplateError("template directory not found: " + dir.string());
  }
  auto source = std::make_shared<Source>();
  source->dir = std::move(dir);
  return Templates{std::move(source)};
}

std::string Templates::source(std::string_view name) const {
  auto text = source_->find(name);
  if (!text) throw TemplateError("no template named " + std::string{name});
  return std::move(*text);
}

std::vector<std::string> Templates::names() const {
  return source_->names();
}

namespace {

// Compiled templates, one set per thread. kainjow's render() is not const (it records errors in
// the template object), so a compiled template must not serve two threads at once; each server
// thread compiles a template once and reuses it for its later requests. Only compiled-in sources
// are cached: a directory source is re-read at every render so that edits show.
using CompiledKey = std::pair<std::uint64_t, std::string>;
std::map<CompiledKey, mstch::mustache>& compiled_cache() {
  thread_local std::map<CompiledKey, mstch::mustache> cache;
  return cache;
}

}  // namespace

std::string Templates::render(std::string_view name, const nlohmann::json& view) const {
  std::optional<mstch::mustache> fresh;
  mstch::mustache* tmpl = nullptr;
  const CompiledKey key{source_->id, std::string{name}};
  if (!source_->dir) {
    auto& cache = compiled_cache();
    auto it = cache.find(key);
    if (it == cache.end()) it = cache.emplace(key, mstch::mustache{source(name)}).first;
    tmpl = &it->second;
  } else {
    fresh.emplace(source(name));
    tmpl = &*fresh;
  }
  if (!tmpl->is_valid()) {
    const std::string message = tmpl->error_message();
    if (!fresh) compiled_cache().erase(key);
    throw TemplateError("template " + std::string{name} + ": " + message);
  }
  mstch::data data = to_data(view.is_object() ? view : nlohmann::json::object());
  // kainjow looks partials up among the view's names, so only the partials this template
  // actually includes are added: a template named "error" must not make {{#error}} true.
  const auto known = source_->partials.find(name);
  const std::set<std::string> partials =
      known != source_->partials.end() ? known->second : partials_used(*source_, name);
  for (const std::string& partial_name : partials) {
    if (view.is_object() && view.contains(partial_name)) continue;  // the view's key wins
    auto source_ptr = source_;
    data.set(partial_name, mstch::partial{[source_ptr, partial_name] {
               return source_ptr->find(partial_name).value_or("");
             }});
  }
  std::string html = tmpl->render(data);
  if (!tmpl->is_valid()) {
    const std::string message = tmpl->error_message();
    if (!fresh) compiled_cache().erase(key);  // kainjow keeps the error: compile afresh next time
    throw TemplateError("template " + std::string{name} + ": " + message);
  }
  return html;
}

std::string Templates::render_page(std::string_view name, const nlohmann::json& view) const {
  nlohmann::json layout_view = view.is_object() ? view : nlohmann::json::object();
  layout_view["content"] = render(name, view);
  return render("layout", layout_view);
}

std::vector<std::string> Templates::check() const {
  std::vector<std::string> problems;
  for (const std::string& name : names()) {
    mstch::mustache tmpl{source(name)};
    if (!tmpl.is_valid()) problems.push_back(name + ": " + tmpl.error_message());
  }
  return problems;
}

}  // namespace candor::web
