#include "candor/rules/pack_loader.h"

#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <optional>
#include <system_error>

#include "parse_context.h"

namespace candor::rules {
namespace {

using registry::Document;
using registry::Node;
using registry::NodeKind;
using registry::Position;

constexpr std::array<std::string_view, 5> kPackKeys = {"apiVersion", "kind", "metadata",
                                                       "parameters", "rules"};
constexpr std::array<std::string_view, 3> kRuleFileKeys = {"apiVersion", "kind", "rules"};
constexpr std::array<std::string_view, 5> kMetadataKeys = {"name", "version", "owner",
                                                           "effective_from", "description"};
constexpr std::array<std::string_view, 2> kParameterKeys = {"value", "description"};

struct LoadedFile {
  std::string name;
  registry::Result<Document> result;
};

// Builds one Pack from parsed files; collects every problem on the way.
class PackBuilder {
 public:
  registry::Result<Pack> build(std::optional<LoadedFile> manifest,
                               std::vector<LoadedFile> rule_files, bool single_file) {
    std::vector<std::shared_ptr<const Document>> rule_docs;
    std::shared_ptr<const Document> manifest_doc;
    if (manifest) manifest_doc = take(std::move(*manifest));
    for (LoadedFile& f : rule_files) {
      if (auto doc = take(std::move(f))) rule_docs.push_back(std::move(doc));
    }

    if (manifest_doc) read_file(*manifest_doc, single_file ? Role::single : Role::manifest);
    for (const auto& doc : rule_docs) read_file(*doc, Role::rule_file);

    if (pack_.rules.empty() && problems_.empty()) {
      problems_.push_back(registry::Problem{manifest_doc ? manifest_doc->file() : std::string(),
                                            {},
                                            "",
                                            "rules.no-rules",
                                            "the pack defines no rules",
                                            "add rules under `rules:`"});
    }
    if (!problems_.empty()) return std::move(problems_);
    return std::move(pack_);
  }

  registry::Problems& problems() { return problems_; }

 private:
  enum class Role { single, manifest, rule_file };

  std::shared_ptr<const Document> take(LoadedFile f) {
    registry::Problems& p = f.result.problems();
    problems_.insert(problems_.end(), p.begin(), p.end());
    if (!f.result.has_value() || !p.empty()) return nullptr;
    auto doc = std::make_shared<const Document>(std::move(f.result).value());
    pack_.documents.push_back(doc);
    return doc;
  }

  void read_file(const Document& doc, Role role) {
    ParseContext ctx(doc.file(), problems_, pack_.parameters);
    const Node& root = doc.root();
    if (!root.is_mapping()) {
      ctx.report(root.position(), "", "rules.bad-header",
                 "a pack file must be a mapping with apiVersion, kind and rules, not " +
                     std::string(registry::describe(root.kind())));
      return;
    }
    read_header(root, role, ctx);
    if (role == Role::rule_file) {
      for (const registry::Entry& e : root.entries()) {
        if (e.key == "metadata" || e.key == "parameters") {
          ctx.report(e.key_position, e.key, "rules.misplaced-key",
                     "`" + e.key + "` belongs in pack.yaml, not in a rule file",
                     "rule files hold apiVersion, kind and rules only");
        }
      }
      std::vector<std::string_view> allowed(kRuleFileKeys.begin(), kRuleFileKeys.end());
      allowed.push_back("metadata");
      allowed.push_back("parameters");
      ctx.check_keys(root, allowed, "");
    } else {
      ctx.check_keys(root, kPackKeys, "");
      if (const Node* metadata = ctx.mapping(root, "metadata", "", true)) {
        read_metadata(*metadata, ctx);
      }
      if (const Node* parameters = ctx.mapping(root, "parameters", "", false)) {
        read_parameters(*parameters, ctx);
      }
    }
    if (const Node* rules = ctx.sequence(root, "rules", "", role != Role::manifest)) {
      for (std::size_t i = 0; i < rules->items().size(); ++i) {
        read_rule(*rules->items()[i], item_path("rules", i), ctx);
      }
    }
  }

  void read_header(const Node& root, Role role, ParseContext& ctx) {
    const Node* api = root.get("apiVersion");
    if (api == nullptr) {
      ctx.report(root.position(), "", "rules.bad-header", "missing `apiVersion`",
                 "start the file with `apiVersion: candor.rules/v1`");
    } else if (api->text() != "candor.rules/v1" && api->text() != "ai-register.rules/v1") {
      ctx.report(api->position(), "apiVersion", "rules.bad-header",
                 "unsupported apiVersion `" + api->text() + "`", "use `candor.rules/v1`");
    }
    const Node* kind = root.get("kind");
    const std::string_view expected = role == Role::manifest    ? "RulePack"
                                      : role == Role::rule_file ? "RuleSet"
                                                                : "RuleSet or RulePack";
    if (kind == nullptr) {
      ctx.report(root.position(), "", "rules.bad-header", "missing `kind`",
                 "add `kind: " + std::string(expected) + "`");
    } else if (!(kind->text() == "RulePack" && role != Role::rule_file) &&
               !(kind->text() == "RuleSet" && role != Role::manifest)) {
      ctx.report(kind->position(), "kind", "rules.bad-header",
                 "kind `" + kind->text() + "` where " + std::string(expected) + " was expected",
                 role == Role::manifest    ? "pack.yaml is `kind: RulePack`"
                 : role == Role::rule_file ? "*.rules.yaml files are `kind: RuleSet`"
                                           : "");
    }
  }

  void read_metadata(const Node& m, ParseContext& ctx) {
    ctx.check_keys(m, kMetadataKeys, "metadata");
    PackMetadata& md = pack_.metadata;
    if (auto v = ctx.string(m, "name", "metadata", true)) md.name = *v;
    // A version is often written unquoted (2025.1); take any scalar as written.
    if (const Node* v = m.get("version"); v == nullptr) {
      ctx.missing(m, "version", "metadata", "`metadata`");
    } else if (!v->is_scalar() || v->is_null()) {
      ctx.report(v->position(), "metadata.version", "rules.bad-value",
                 "`version` must be a single value such as \"2025.1\"");
    } else {
      md.version = v->text();
    }
    if (auto v = ctx.string(m, "owner", "metadata", false)) md.owner = *v;
    if (auto v = ctx.string(m, "description", "metadata", false)) md.description = *v;
    if (auto v = ctx.string(m, "effective_from", "metadata", false)) {
      md.effective_from = Date::parse(*v);
      if (!md.effective_from) {
        ctx.report(m.get("effective_from")->position(), "metadata.effective_from",
                   "rules.bad-value", "`" + *v + "` is not a date", "write YYYY-MM-DD");
      }
    }
  }

  void read_parameters(const Node& params, ParseContext& ctx) {
    for (const registry::Entry& e : params.entries()) {
      const std::string path = child_path("parameters", e.key);
      const Node& def = *e.value;
      if (!def.is_mapping()) {
        ctx.report(def.position(), path, "rules.bad-param",
                   "parameter `" + e.key + "` must be a mapping {value: ..., description: ...}");
        continue;
      }
      ctx.check_keys(def, kParameterKeys, path);
      Parameter p;
      p.name = e.key;
      p.file = ctx.file();
      p.position = e.key_position;
      if (auto d = ctx.string(def, "description", path, false)) p.description = *d;
      const Node* value = def.get("value");
      if (value == nullptr) {
        ctx.missing(def, "value", path, "parameter `" + e.key + "`");
        continue;
      }
      bool ok = true;
      if (value->is_sequence()) {
        p.is_list = true;
        for (const Node* item : value->items()) {
          std::optional<Literal> l = to_literal(*item);
          ok = ok && l.has_value();
          if (l) p.values.push_back(std::move(*l));
        }
      } else if (std::optional<Literal> l = to_literal(*value)) {
        p.values.push_back(std::move(*l));
      } else {
        ok = false;
      }
      if (!ok) {
        ctx.report(value->position(), child_path(path, "value"), "rules.bad-param",
                   "a parameter value is a single value or a list of single values, not " +
                       std::string(registry::describe(value->kind())) +
                       (value->is_sequence() ? " holding null or containers" : ""));
        continue;
      }
      pack_.parameters.push_back(std::move(p));
    }
  }

  void read_rule(const Node& node, const std::string& path, ParseContext& ctx) {
    check_unique_id(node, path, ctx);
    if (std::optional<Rule> rule = parse_rule(node, path, ctx)) {
      pack_.rules.push_back(std::move(*rule));
    }
  }

  // Ids must be unique across the whole pack, so this check lives here and not in parse_rule.
  void check_unique_id(const Node& node, const std::string& path, ParseContext& ctx) {
    const Node* id = node.is_mapping() ? node.get("id") : nullptr;
    if (id == nullptr || id->kind() != NodeKind::string || id->text().empty()) return;
    const auto [it, inserted] = ids_.try_emplace(id->text(), ctx.file(), id->position());
    if (!inserted) {
      ctx.report(id->position(), child_path(path, "id"), "rules.duplicate-id",
                 "rule id " + id->text() + " is already used at " + it->second.first + ":" +
                     std::to_string(it->second.second.line) + ":" +
                     std::to_string(it->second.second.column),
                 "give each rule its own id");
    }
  }

  Pack pack_;
  registry::Problems problems_;
  std::map<std::string, std::pair<std::string, Position>> ids_;
};

std::string base_name(const std::string& name) {
  const std::size_t slash = name.find_last_of("/\\");
  return slash == std::string::npos ? name : name.substr(slash + 1);
}

registry::Result<Pack> io_problem(std::string file, std::string message, std::string hint = {}) {
  return registry::Problems{
      registry::Problem{std::move(file), {}, "", "rules.io", std::move(message), std::move(hint)}};
}

}  // namespace

registry::Result<Pack> load_pack_text(std::string_view text, std::string file) {
  registry::Result<Document> doc = registry::load_document(text, file);
  LoadedFile f{std::move(file), std::move(doc)};
  return PackBuilder().build(std::move(f), {}, true);
}

registry::Result<Pack> load_pack_files(std::vector<PackFile> files) {
  if (files.empty()) return io_problem("", "no pack files given");
  if (files.size() == 1) return load_pack_text(files.front().text, files.front().name);
  std::sort(files.begin(), files.end(),
            [](const PackFile& a, const PackFile& b) { return a.name < b.name; });
  std::optional<LoadedFile> manifest;
  std::vector<LoadedFile> rule_files;
  for (PackFile& f : files) {
    LoadedFile loaded{f.name, registry::load_document(f.text, f.name)};
    if (base_name(f.name) == "pack.yaml" && !manifest) {
      manifest.emplace(std::move(loaded));
    } else {
      rule_files.push_back(std::move(loaded));
    }
  }
  if (!manifest) return io_problem(files.front().name, "none of the pack's files is pack.yaml");
  return PackBuilder().build(std::move(manifest), std::move(rule_files), false);
}

registry::Result<Pack> load_pack(const std::filesystem::path& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) {
    return PackBuilder().build(LoadedFile{path.string(), registry::load_document_file(path)}, {},
                               true);
  }
  if (!fs::is_directory(path, ec)) {
    return io_problem(path.string(), "no such pack file or directory");
  }
  std::vector<fs::path> rule_paths;
  bool has_manifest = false;
  for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name == "pack.yaml") has_manifest = true;
    if (name.size() > 11 && name.ends_with(".rules.yaml") && it->is_regular_file(ec)) {
      rule_paths.push_back(it->path());
    }
  }
  if (ec) return io_problem(path.string(), "cannot read the directory: " + ec.message());
  if (!has_manifest) {
    return io_problem(path.string(), "the directory has no pack.yaml",
                      "a pack directory holds pack.yaml and *.rules.yaml files");
  }
  std::sort(rule_paths.begin(), rule_paths.end());
  const fs::path manifest_path = path / "pack.yaml";
  LoadedFile manifest{manifest_path.string(), registry::load_document_file(manifest_path)};
  std::vector<LoadedFile> rule_files;
  rule_files.reserve(rule_paths.size());
  for (const fs::path& p : rule_paths) {
    rule_files.push_back(LoadedFile{p.string(), registry::load_document_file(p)});
  }
  return PackBuilder().build(std::move(manifest), std::move(rule_files), false);
}

}  // namespace candor::rules
