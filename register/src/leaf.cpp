#include "candor/registry/leaf.h"

#include <array>
#include <stdexcept>
#include <utility>
#include <vector>

#include "candor/registry/note.h"
#include "decimal.h"
#include "statement_lines.h"

namespace candor::registry {

namespace {

constexpr std::size_t kMaxSlugBytes = 80;
constexpr std::array<std::string_view, 9> kKeys = {
    "",  // the format line has no key
    "origin", "organisation", "record", "version", "action", "body", "previous", "accepted"};

Problem malformed(std::string message, std::uint32_t line = 0) {
  return statement_problem("leaf.malformed", std::move(message), line);
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

int two_digits(std::string_view s, std::size_t at) {
  return (s[at] - '0') * 10 + (s[at + 1] - '0');
}

}  // namespace

std::string_view to_string(LeafAction action) {
  switch (action) {
    case LeafAction::create:
      return "create";
    case LeafAction::update:
      return "update";
    case LeafAction::retract:
      return "retract";
    case LeafAction::redact:
      return "redact";
  }
  return "?";
}

std::optional<LeafAction> parse_leaf_action(std::string_view text) {
  for (LeafAction a :
       {LeafAction::create, LeafAction::update, LeafAction::retract, LeafAction::redact}) {
    if (to_string(a) == text) return a;
  }
  return std::nullopt;
}

bool is_slug(std::string_view text) {
  if (text.empty() || text.size() > kMaxSlugBytes) return false;
  if (text.front() == '-' || text.back() == '-') return false;
  char prev = 0;
  for (char c : text) {
    const bool ok = is_digit(c) || (c >= 'a' && c <= 'z') || c == '-';
    if (!ok || (c == '-' && prev == '-')) return false;
    prev = c;
  }
  return true;
}

bool is_leaf_time(std::string_view t) {
  // 0123456789012345678 9
  // YYYY-MM-DDThh:mm:ssZ
  if (t.size() != 20 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' ||
      t[16] != ':' || t[19] != 'Z') {
    return false;
  }
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18}) {
    if (!is_digit(t[i])) return false;
  }
  const int year = two_digits(t, 0) * 100 + two_digits(t, 2);
  const int month = two_digits(t, 5), day = two_digits(t, 8);
  if (month < 1 || month > 12 || day < 1) return false;
  constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int days = kDays[static_cast<std::size_t>(month - 1)] + (month == 2 && leap ? 1 : 0);
  return day <= days && two_digits(t, 11) < 24 && two_digits(t, 14) < 60 && two_digits(t, 17) < 60;
}

Problems leaf_problems(const LeafStatement& leaf) {
  Problems out;
  if (leaf.origin.empty()) {
    out.push_back(malformed("the origin is empty"));
  } else if (!note_text_problems(leaf.origin + "\n").empty() ||
             leaf.origin.find('\n') != std::string::npos) {
    out.push_back(
        malformed("the origin must be one line of UTF-8 text without control characters"));
  }
  if (!is_slug(leaf.organisation)) {
    out.push_back(malformed("the organisation \"" + leaf.organisation + "\" is not a slug"));
  }
  if (!is_slug(leaf.record_id)) {
    out.push_back(malformed("the record id \"" + leaf.record_id + "\" is not a slug"));
  }
  if (leaf.version == 0) out.push_back(malformed("versions start at 1"));
  const bool first = leaf.action == LeafAction::create;
  if (first != (leaf.version == 1)) {
    out.push_back(malformed("action create goes with version 1, and version 1 with create"));
  }
  if (first == leaf.previous_leaf.has_value()) {
    out.push_back(malformed(first ? "a created record has no previous version"
                                  : "a later version must name its previous version's leaf"));
  }
  if (!is_leaf_time(leaf.accepted_at)) {
    out.push_back(malformed("the acceptance time \"" + leaf.accepted_at +
                            "\" is not UTC in the form YYYY-MM-DDThh:mm:ssZ"));
  }
  if (out.empty()) {
    // origin is the only unbounded field; everything else fits in about 300 bytes.
    const std::size_t size =
        leaf.origin.size() + leaf.organisation.size() + leaf.record_id.size() + 300;
    if (size > kMaxLeafBytes) out.push_back(malformed("the statement exceeds 65,535 bytes"));
  }
  return out;
}

std::string format_leaf(const LeafStatement& leaf) {
  if (Problems p = leaf_problems(leaf); !p.empty()) {
    throw std::invalid_argument("leaf statement: " + p.front().message);
  }
  std::string out;
  out.reserve(200 + leaf.origin.size());
  out.append(kLeafFormatLine).append("\n");
  out.append("origin ").append(leaf.origin).append("\n");
  out.append("organisation ").append(leaf.organisation).append("\n");
  out.append("record ").append(leaf.record_id).append("\n");
  out.append("version ").append(std::to_string(leaf.version)).append("\n");
  out.append("action ").append(to_string(leaf.action)).append("\n");
  out.append("body ").append(to_hex(leaf.body_hash)).append("\n");
  out.append("previous ")
      .append(leaf.previous_leaf ? std::to_string(*leaf.previous_leaf) : std::string("-"))
      .append("\n");
  out.append("accepted ").append(leaf.accepted_at).append("\n");
  return out;
}

Result<LeafStatement> parse_leaf(std::string_view bytes) {
  using R = Result<LeafStatement>;
  auto split = split_statement(bytes, kLeafFormatLine, kKeys, "leaf.malformed");
  if (!split.ok()) return R(std::move(split.problems()));
  const std::vector<std::string_view>& values = split.value();

  LeafStatement leaf;
  leaf.origin = std::string(values[1]);
  leaf.organisation = std::string(values[2]);
  leaf.record_id = std::string(values[3]);
  const auto version = parse_strict_decimal(values[4]);
  if (!version) return R(Problems{malformed("the version is not a decimal number", 5)});
  leaf.version = *version;
  const auto action = parse_leaf_action(values[5]);
  if (!action) {
    return R(Problems{malformed("the action must be create, update, retract or redact", 6)});
  }
  leaf.action = *action;
  const auto body =
      values[6].size() == 64 && is_lower_hex(values[6]) ? hash_from_hex(values[6]) : std::nullopt;
  if (!body) return R(Problems{malformed("the body hash is not 64 lowercase hex digits", 7)});
  leaf.body_hash = *body;
  if (values[7] != "-") {
    const auto previous = parse_strict_decimal(values[7]);
    if (!previous) {
      return R(Problems{malformed("the previous leaf is neither a decimal index nor \"-\"", 8)});
    }
    leaf.previous_leaf = *previous;
  }
  leaf.accepted_at = std::string(values[8]);
  if (Problems p = leaf_problems(leaf); !p.empty()) return R(std::move(p));
  return leaf;
}

}  // namespace candor::registry
