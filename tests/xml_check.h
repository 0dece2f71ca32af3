// A small well-formedness check for the XML and HTML the report writers produce, so the tests
// need no XML library: tags balance and nest, attribute values are quoted, and text holds no raw
// `<` and no `&` that does not start an entity. Returns "" when well formed, else what is wrong.
//
// `void_elements` lists tags that never close (HTML's <meta>, <br>); pass {} for XML.
#pragma once

#include <cctype>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace candor::test {

inline bool valid_entity(std::string_view text, std::size_t amp) {
  const std::size_t semi = text.find(';', amp);
  if (semi == std::string_view::npos || semi - amp > 10 || semi == amp + 1) return false;
  const std::string_view name = text.substr(amp + 1, semi - amp - 1);
  if (name[0] == '#') {
    for (std::size_t i = 1; i < name.size(); ++i) {
      const char c = name[i];
      if (!(std::isxdigit(static_cast<unsigned char>(c)) || (i == 1 && c == 'x'))) return false;
    }
    return name.size() > 1;
  }
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

inline std::string check_well_formed(std::string_view doc,
                                     const std::set<std::string>& void_elements = {}) {
  std::vector<std::string> stack;
  std::size_t i = 0;
  bool root_seen = false;
  const auto at = [&](std::size_t pos) { return " at byte " + std::to_string(pos); };
  while (i < doc.size()) {
    const char c = doc[i];
    if (c == '&') {
      if (!valid_entity(doc, i)) return "bare &" + at(i);
      ++i;
      continue;
    }
    if (c == '>') return "bare > in text" + at(i);
    if (c != '<') {
      ++i;
      continue;
    }
    if (doc.substr(i, 4) == "<!--") {
      const std::size_t end = doc.find("-->", i + 4);
      if (end == std::string_view::npos) return "unclosed comment" + at(i);
      i = end + 3;
      continue;
    }
    if (doc.substr(i, 2) == "<?" || doc.substr(i, 2) == "<!") {
      const std::size_t end = doc.find('>', i);
      if (end == std::string_view::npos) return "unclosed declaration" + at(i);
      i = end + 1;
      continue;
    }
    const bool closing = i + 1 < doc.size() && doc[i + 1] == '/';
    std::size_t j = i + (closing ? 2 : 1);
    std::string name;
    while (j < doc.size() && (std::isalnum(static_cast<unsigned char>(doc[j])) || doc[j] == '-' ||
                              doc[j] == ':' || doc[j] == '_')) {
      name += doc[j++];
    }
    if (name.empty()) return "raw < in text" + at(i);
    // Attributes: name="value" pairs; values may not contain < or a bare &.
    bool self_closing = false;
    while (true) {
      while (j < doc.size() && std::isspace(static_cast<unsigned char>(doc[j]))) ++j;
      if (j >= doc.size()) return "unclosed tag <" + name + at(i);
      if (doc[j] == '>') {
        ++j;
        break;
      }
      if (doc[j] == '/' && j + 1 < doc.size() && doc[j + 1] == '>') {
        self_closing = true;
        j += 2;
        break;
      }
      if (closing) return "attributes on a closing tag </" + name + at(j);
      std::size_t attr = j;
      while (j < doc.size() && (std::isalnum(static_cast<unsigned char>(doc[j])) || doc[j] == '-' ||
                                doc[j] == ':' || doc[j] == '_')) {
        ++j;
      }
      if (j == attr) return "bad attribute in <" + name + at(j);
      if (j >= doc.size() || doc[j] != '=') continue;  // HTML boolean attribute
      ++j;
      if (j >= doc.size() || (doc[j] != '"' && doc[j] != '\''))
        return "unquoted attribute value" + at(j);
      const char quote = doc[j++];
      const std::size_t end = doc.find(quote, j);
      if (end == std::string_view::npos) return "unclosed attribute value" + at(j);
      for (std::size_t k = j; k < end; ++k) {
        if (doc[k] == '<') return "< inside an attribute value" + at(k);
        if (doc[k] == '&' && !valid_entity(doc, k))
          return "bare & inside an attribute value" + at(k);
      }
      j = end + 1;
    }
    if (closing) {
      if (stack.empty() || stack.back() != name) {
        return "</" + name + "> does not close <" + (stack.empty() ? "" : stack.back()) + ">" +
               at(i);
      }
      stack.pop_back();
    } else if (!self_closing && void_elements.count(name) == 0) {
      if (stack.empty() && root_seen) return "a second root element <" + name + ">" + at(i);
      root_seen = true;
      stack.push_back(name);
      // <style> holds CSS, not markup.
      if (name == "style") {
        const std::size_t end = doc.find("</style>", j);
        if (end == std::string_view::npos) return "unclosed <style>";
        j = end;
      }
    }
    i = j;
  }
  if (!stack.empty()) return "unclosed <" + stack.back() + ">";
  if (!root_seen) return "no root element";
  return {};
}

}  // namespace candor::test
