// candor schema print | docs: the record schema for editors, and its field reference for people.
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "candor/registry/schema.h"
#include "commands.h"

namespace candor::cli {

namespace {

using Json = nlohmann::json;

const Json& resolve(const Json& root, const Json& s) {
  const Json* p = &s;
  for (int hops = 0; p->is_object() && p->contains("$ref") && hops < 32; ++hops) {
    p = &root.at(Json::json_pointer((*p)["$ref"].get<std::string>().substr(1)));
  }
  return *p;
}

std::string type_of(const Json& root, const Json& s) {
  const Json& r = resolve(root, s);
  std::string out;
  auto one = [&](const std::string& t) -> std::string {
    if (t == "array" && r.contains("items")) {
      const Json& items = resolve(root, r["items"]);
      if (items.contains("type") && items["type"].is_string()) {
        return "list of " + items["type"].get<std::string>();
      }
      return "list";
    }
    return t;
  };
  if (r.contains("type")) {
    if (r["type"].is_string()) {
      out = one(r["type"].get<std::string>());
    } else {
      for (const auto& t : r["type"]) out += (out.empty() ? "" : " or ") + one(t.get<std::string>());
    }
  }
  if (r.contains("format")) out += " (" + r["format"].get<std::string>() + ")";
  return out;
}

std::string escape_cell(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '\n') out += ' ';
    else out += c;
  }
  return out;
}

std::string allowed_of(const Json& root, const Json& s) {
  const Json& r = resolve(root, s);
  const Json* e = nullptr;
  if (r.contains("enum")) e = &r["enum"];
  else if (r.contains("items") && resolve(root, r["items"]).contains("enum")) e = &resolve(root, r["items"])["enum"];
  std::string out;
  if (e) {
    for (const auto& v : *e) {
      if (v.is_null()) continue;
      out += (out.empty() ? "" : ", ") + std::string("`") + (v.is_string() ? v.get<std::string>() : v.dump()) + "`";
    }
  }
  if (r.contains("const")) out = "`" + r["const"].get<std::string>() + "`";
  if (r.contains("minimum")) out += (out.empty() ? "" : "; ") + std::string("min ") + r["minimum"].dump();
  if (r.contains("maximum")) out += (out.empty() ? "" : "; ") + std::string("max ") + r["maximum"].dump();
  if (r.contains("minLength")) out += (out.empty() ? "" : "; ") + std::string("at least ") + r["minLength"].dump() + " chars";
  if (r.contains("maxLength")) out += (out.empty() ? "" : "; ") + std::string("at most ") + r["maxLength"].dump() + " chars";
  if (r.contains("pattern")) out += (out.empty() ? "" : "; ") + std::string("pattern `") + escape_cell(r["pattern"].get<std::string>()) + "`";
  return out;
}

void rows(const Json& root, const Json& s, const std::string& prefix, std::string& out) {
  const Json& r = resolve(root, s);
  const Json* object = &r;
  std::string base = prefix;
  if (r.contains("items") && resolve(root, r["items"]).contains("properties")) {
    object = &resolve(root, r["items"]);
    base += "[]";
  }
  if (!object->contains("properties")) return;
  std::vector<std::string> required;
  if (object->contains("required")) required = (*object)["required"].get<std::vector<std::string>>();
  for (const auto& [name, sub] : (*object)["properties"].items()) {
    const std::string path = base.empty() ? name : base + "." + name;
    const Json& rs = resolve(root, sub);
    const bool req = std::find(required.begin(), required.end(), name) != required.end();
    std::string description = rs.value("description", sub.value("description", ""));
    out += "| `" + path + "` | " + escape_cell(type_of(root, sub)) + " | " + (req ? "yes" : "") +
           " | " + allowed_of(root, sub) + " | " + escape_cell(description) + " |\n";
    rows(root, sub, path, out);
  }
}

std::string schema_docs(const Json& schema) {
  std::string out =
      "# Record fields (`candor.record/v1`)\n\n"
      "Generated from `schemas/record.v1.schema.json` by `candor schema docs`; do not edit by hand.\n"
      "A test checks that this file matches the schema.\n\n";
  if (schema.contains("description")) out += schema["description"].get<std::string>() + "\n\n";
  out += "| Field | Type | Required | Allowed values | Description |\n|---|---|---|---|---|\n";
  rows(schema, schema, "", out);
  return out;
}

}  // namespace

void add_schema_command(CLI::App& app, int& exit_code) {
  CLI::App* cmd = app.add_subcommand("schema", "The record schema: print it or document it");
  cmd->require_subcommand(1);
  CLI::App* print = cmd->add_subcommand(
      "print", "Print the record schema (JSON Schema draft-07), e.g. for yaml-language-server");
  print->callback([&exit_code] {
    std::cout << registry::record_schema_text();
    exit_code = k_clean;
  });
  auto out_file = std::make_shared<std::string>();
  CLI::App* docs = cmd->add_subcommand("docs", "Write the field reference as Markdown");
  docs->add_option("--output,-o", *out_file, "Write to this file instead of standard output");
  docs->callback([out_file, &exit_code] {
    const std::string text = schema_docs(Json::parse(registry::record_schema_text()));
    if (out_file->empty()) {
      std::cout << text;
    } else {
      std::ofstream f(*out_file, std::ios::binary);
      f << text;
      if (!f) {
        std::cerr << *out_file << ": error: cannot write the file\n";
        exit_code = k_usage;
        return;
      }
    }
    exit_code = k_clean;
  });
}

}  // namespace candor::cli
