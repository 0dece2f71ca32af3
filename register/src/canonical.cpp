#include "candor/registry/canonical.h"

#include <openssl/evp.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "field_path.h"

namespace candor::registry {

namespace {

// UTF-8 (valid, as the loader guarantees) to UTF-16 code units: the order RFC 8785 §3.2.3 sorts
// keys by.
std::u16string utf16(std::string_view s) {
  std::u16string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const std::size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    char32_t c = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
    for (std::size_t k = 1; k < len && i + k < s.size(); ++k) {
      c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    }
    i += len;
    if (c < 0x10000) {
      out += static_cast<char16_t>(c);
    } else {
      c -= 0x10000;
      out += static_cast<char16_t>(0xD800 + (c >> 10));
      out += static_cast<char16_t>(0xDC00 + (c & 0x3FF));
    }
  }
  return out;
}

// RFC 8785 §3.2.2.2: the minimal JSON escapes, everything else literal.
void append_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xF];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

// ECMAScript Number::toString (ECMA-262 §6.1.6.1.20) of a finite double, RFC 8785 §3.2.2.3.
// std::to_chars gives the shortest round-trip digits (ties to the closer, as ES requires) in the
// form d.ddde±x; ES then places the decimal point by the value's exponent.
void append_number(std::string& out, double x) {
  if (x == 0) {  // both +0 and -0
    out += '0';
    return;
  }
  if (x < 0) {
    out += '-';
    x = -x;
  }
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific);
  const std::string_view sci(buf, static_cast<std::size_t>(r.ptr - buf));
  const std::size_t e = sci.find('e');
  std::string digits;  // s in ES: k significant digits, no leading or trailing zeros
  for (const char c : sci.substr(0, e)) {
    if (c != '.') digits += c;
  }
  const int k = static_cast<int>(digits.size());
  const int n = std::atoi(std::string(sci.substr(e + 1)).c_str()) + 1;  // x = 0.s × 10^n

  if (k <= n && n <= 21) {  // integer: digits then zeros
    out += digits;
    out.append(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {  // point inside the digits
    out.append(digits, 0, static_cast<std::size_t>(n));
    out += '.';
    out.append(digits, static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {  // small: 0.000ddd
    out += "0.";
    out.append(static_cast<std::size_t>(-n), '0');
    out += digits;
  } else {  // exponent form: d[.ddd]e±x
    out += digits[0];
    if (k > 1) {
      out += '.';
      out.append(digits, 1);
    }
    out += 'e';
    out += n - 1 < 0 ? '-' : '+';
    out += std::to_string(std::abs(n - 1));
  }
}

class Writer {
 public:
  explicit Writer(std::string file) : file_(std::move(file)) {}

  Result<std::string> run(const Node& root) {
    write(root);
    if (!problems_.empty()) return std::move(problems_);
    return std::move(out_);
  }

 private:
  void write(const Node& n) {
    switch (n.kind()) {
      case NodeKind::null:
        out_ += "null";
        break;
      case NodeKind::boolean:
        out_ += n.as_bool() ? "true" : "false";
        break;
      case NodeKind::string:
        append_string(out_, n.text());
        break;
      case NodeKind::integer:
        write_integer(n.as_int());
        break;
      case NodeKind::real:
        write_real(n);
        break;
      case NodeKind::sequence:
        write_sequence(n);
        break;
      case NodeKind::mapping:
        write_mapping(n);
        break;
    }
  }

  void write_integer(std::int64_t v) {
    constexpr std::int64_t kExact = std::int64_t{1} << 53;  // every integer up to here is a double
    if (-kExact <= v && v <= kExact) {
      out_ += std::to_string(v);
    } else {
      append_number(out_, static_cast<double>(v));  // what a JSON consumer would read it as
    }
  }

  void write_real(const Node& n) {
    if (std::isfinite(n.as_real())) {
      append_number(out_, n.as_real());
      return;
    }
    problems_.push_back({file_, n.position(), path_, "canonical.number",
                         "'" + n.text() + "' is not a number JSON can hold",
                         "write a finite number, or quote the value to keep it as text"});
    out_ += "null";  // keeps the walk going; the output is discarded
  }

  void write_sequence(const Node& n) {
    out_ += '[';
    const std::size_t len = path_.size();
    for (std::size_t i = 0; i < n.items().size(); ++i) {
      if (i > 0) out_ += ',';
      append_index(path_, i);
      write(*n.items()[i]);
      path_.resize(len);
    }
    out_ += ']';
  }

  void write_mapping(const Node& n) {
    struct Keyed {
      std::u16string key;
      const Entry* entry;
    };
    std::vector<Keyed> sorted;
    sorted.reserve(n.entries().size());
    for (const Entry& e : n.entries()) sorted.push_back({utf16(e.key), &e});
    std::sort(sorted.begin(), sorted.end(),
              [](const Keyed& a, const Keyed& b) { return a.key < b.key; });

    out_ += '{';
    const std::size_t len = path_.size();
    for (std::size_t i = 0; i < sorted.size(); ++i) {
      if (i > 0) out_ += ',';
      const Entry& e = *sorted[i].entry;
      append_string(out_, e.key);
      out_ += ':';
      append_key(path_, e.key);
      write(*e.value);
      path_.resize(len);
    }
    out_ += '}';
  }

  std::string file_;
  std::string path_;  // field path of the node being written, for problems
  std::string out_;
  Problems problems_;
};

}  // namespace

Result<std::string> canonical_json(const Node& root) {
  return Writer("").run(root);
}

Result<std::string> canonical_json(const Document& doc) {
  return Writer(doc.file()).run(doc.root());
}

Result<BodyHash> body_hash(const Document& doc) {
  Result<std::string> json = canonical_json(doc);
  if (!json.ok()) return std::move(json.problems());
  BodyHash hash;
  unsigned int length = 0;
  if (EVP_Digest(json.value().data(), json.value().size(), hash.data(), &length, EVP_sha256(),
                 nullptr) != 1 ||
      length != hash.size()) {
    throw std::runtime_error("SHA-256 computation failed in OpenSSL");
  }
  return hash;
}

std::string lowercase_hex(std::span<const std::uint8_t> bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const std::uint8_t b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 0xF];
  }
  return out;
}

}  // namespace candor::registry
