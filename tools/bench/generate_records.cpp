// candor_gen_records: writes N varied, schema-valid candor.record/v1 records for the benchmarks.
//
//   candor_gen_records --count N --out DIR [--seed S] [--as-of YYYY-MM-DD] [--plain-dates]
//
// The same arguments always give byte-identical files: the generator uses its own PRNG
// (xoshiro256**, seeded through splitmix64) reduced to ranges by plain modulo, never
// std::uniform_*_distribution (whose output differs between standard libraries), never the clock
// and never the iteration order of an unordered container.
//
// What the set looks like (tools/bench/README.md has the numbers):
//   - many organisations (about one for every six records, at least 40), of every organisation
//     type, each with a few records; every mission area, phase and tool type occurs;
//   - three profiles: about 20% of records are written to pass every rule of the uk-public-sector
//     pack at --as-of, about 10% are partial records imported from another register (few
//     sections, provenance, extensions), and the rest have one to eight defects, each of which
//     makes one or more rules fail (stale dates, missing evidence, short text, a bad Companies
//     House number, missing sections...);
//   - optional sections present or absent, lists (data sources, tests, results, metrics,
//     withheld fields) of varied lengths, prose wrapped as folded block scalars as people write
//     it; mostly 3-8 KB a file (mean about 6.4 KB), like schemas/examples/valid/ (4-8 KB).
//
// Every record is valid against schemas/record.v1.schema.json. Dates are written quoted
// ("2026-01-15") unless --plain-dates is given: js-yaml 3 (inside ajv-cli 5) resolves an unquoted
// date to a JavaScript Date, which then fails the schema's `type: string`; candor reads both
// forms as the same string, so quoting keeps the peers on the same, valid input.
//
// Files are named ORGANISATION--RECORD.yaml, like the examples. DIR is created if missing and
// must not already hold *.yaml files.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------------------------
// Deterministic PRNG

class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& s : s_) {
      seed += 0x9e3779b97f4a7c15ULL;  // splitmix64
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      s = z ^ (z >> 31);
    }
  }

  std::uint64_t next() {  // xoshiro256**
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // In [0, n), the same on every platform (the modulo bias is below 2^-40 for our n).
  std::uint64_t below(std::uint64_t n) { return next() % n; }
  int range(int lo, int hi) {  // inclusive
    return lo + static_cast<int>(
                    below(static_cast<std::uint64_t>(static_cast<std::int64_t>(hi) - lo + 1)));
  }
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return unit() < p; }

  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[below(v.size())];
  }

  // k distinct indices of [0, n), in random order.
  std::vector<std::size_t> sample(std::size_t n, std::size_t k) {
    std::vector<std::size_t> idx(n);
    for (std::size_t i = 0; i < n; ++i) idx[i] = i;
    k = std::min(k, n);
    for (std::size_t i = 0; i < k; ++i) std::swap(idx[i], idx[i + below(n - i)]);
    idx.resize(k);
    return idx;
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<std::uint64_t, 4> s_{};
};

// ---------------------------------------------------------------------------------------------
// Calendar dates as days since 1970-01-01 (H. Hinnant's civil algorithms)

int days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::string date_text(int z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp + (mp < 10 ? 3 : -9);
  const int y = yoe + era * 400 + (m <= 2);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

bool parse_date(const std::string& s, int& out) {
  int y = 0, m = 0, d = 0;
  if (s.size() != 10 || std::sscanf(s.c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3) return false;
  if (m < 1 || m > 12 || d < 1 || d > 31) return false;
  out = days_from_civil(y, m, d);
  return date_text(out) == s;
}

// ---------------------------------------------------------------------------------------------
// A small ordered YAML tree and a block-style emitter

struct Node {
  enum class Kind { map, seq, str, raw };
  Kind kind = Kind::map;
  std::string value;              // str: the text; raw: written as is
  std::vector<std::string> keys;  // map: keys and values, in order (two
  std::vector<Node> values;       // vectors: vector<pair<.., Node>> needs Node complete)
  std::vector<Node> items;        // seq
  bool flow = false;              // seq of short scalars written [a, b]

  // Defined after the class, where Node is complete.
  static Node map();
  static Node seq(bool flow_style = false);
  static Node str(std::string s);
  static Node raw(std::string s);
  static Node boolean(bool b);
  static Node integer(long long i);
  static Node real(double v, int decimals);

  Node& set(const std::string& key, Node value);
  Node* find(const std::string& key);
  Node* at(std::string_view path);  // "a.b.c": the node at that path of mappings, or nullptr
  bool erase(std::string_view path);
  bool has(std::string_view path) { return at(path) != nullptr; }
};

Node Node::map() {
  return Node();
}
Node Node::seq(bool flow_style) {
  Node n;
  n.kind = Kind::seq;
  n.flow = flow_style;
  return n;
}
Node Node::str(std::string s) {
  Node n;
  n.kind = Kind::str;
  n.value = std::move(s);
  return n;
}
Node Node::raw(std::string s) {
  Node n;
  n.kind = Kind::raw;
  n.value = std::move(s);
  return n;
}
Node Node::boolean(bool b) {
  return raw(b ? "true" : "false");
}
Node Node::integer(long long i) {
  return raw(std::to_string(i));
}
Node Node::real(double v, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return raw(buf);
}

Node& Node::set(const std::string& key, Node value) {
  if (Node* v = find(key)) {
    *v = std::move(value);
    return *v;
  }
  keys.push_back(key);
  values.push_back(std::move(value));
  return values.back();
}

Node* Node::find(const std::string& key) {
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (keys[i] == key) return &values[i];
  }
  return nullptr;
}

Node* Node::at(std::string_view path) {
  Node* n = this;
  while (n != nullptr && !path.empty()) {
    const auto dot = path.find('.');
    n = n->kind == Kind::map ? n->find(std::string(path.substr(0, dot))) : nullptr;
    path = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
  }
  return n;
}

bool Node::erase(std::string_view path) {
  const auto dot = path.rfind('.');
  Node* parent = dot == std::string_view::npos ? this : at(path.substr(0, dot));
  if (parent == nullptr || parent->kind != Kind::map) return false;
  const std::string key(dot == std::string_view::npos ? path : path.substr(dot + 1));
  for (std::size_t i = 0; i < parent->keys.size(); ++i) {
    if (parent->keys[i] == key) {
      parent->keys.erase(parent->keys.begin() + static_cast<std::ptrdiff_t>(i));
      parent->values.erase(parent->values.begin() + static_cast<std::ptrdiff_t>(i));
      return true;
    }
  }
  return false;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// Whether a string must be quoted to stay a string under YAML 1.2 core and YAML 1.1 (js-yaml 3)
// alike. Conservative: quoting a string that did not need it is harmless.
bool needs_quotes(const std::string& s) {
  if (s.empty() || s.front() == ' ' || s.back() == ' ' || s.back() == ':') return true;
  if (std::string_view("-?:,[]{}#&*!|>'\"%@`").find(s.front()) != std::string_view::npos) {
    return true;
  }
  if (s.find(": ") != std::string::npos || s.find(" #") != std::string::npos) return true;
  for (const char c : s) {
    if (static_cast<unsigned char>(c) < 0x20) return true;
  }
  for (const char* word : {"true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"}) {
    if (iequals(s, word)) return true;
  }
  // Anything that could read as a number, a date, a time or a sexagesimal in YAML 1.1.
  if (std::string_view("0123456789+-.").find(s.front()) != std::string_view::npos &&
      s.find(' ') == std::string::npos) {
    return true;
  }
  return false;
}

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

constexpr std::size_t kWidth = 96;

void emit_scalar(const Node& n, std::size_t indent, std::size_t used, std::string& out) {
  if (n.kind == Node::Kind::raw) {
    out += ' ' + n.value + '\n';
    return;
  }
  const std::string& s = n.value;
  if (used + 1 + s.size() <= kWidth || s.size() < 40 || s.find(' ') == std::string::npos) {
    out += ' ' + (needs_quotes(s) ? quoted(s) : s) + '\n';
    return;
  }
  // Folded block scalar, wrapped at spaces; generated prose has single spaces and no newlines.
  out += " >-\n";
  const std::string pad(indent, ' ');
  const std::size_t room = kWidth > indent + 20 ? kWidth - indent : 20;
  std::size_t pos = 0;
  while (pos < s.size()) {
    std::size_t end = pos + room;
    if (end >= s.size()) {
      end = s.size();
    } else {
      const std::size_t space = s.rfind(' ', end);
      end = (space != std::string::npos && space > pos) ? space : s.find(' ', end);
      if (end == std::string::npos) end = s.size();
    }
    out += pad + s.substr(pos, end - pos) + '\n';
    pos = end < s.size() ? end + 1 : end;
  }
}

void emit_map(const Node& n, std::size_t indent, std::string& out, bool first_inline);

void emit_value(const Node& v, std::size_t indent, std::size_t used, std::string& out) {
  switch (v.kind) {
    case Node::Kind::str:
    case Node::Kind::raw:
      emit_scalar(v, indent + 2, used, out);
      return;
    case Node::Kind::map:
      if (v.keys.empty()) {
        out += " {}\n";
        return;
      }
      out += '\n';
      emit_map(v, indent + 2, out, false);
      return;
    case Node::Kind::seq:
      if (v.items.empty()) {
        out += " []\n";
        return;
      }
      if (v.flow) {
        out += " [";
        for (std::size_t i = 0; i < v.items.size(); ++i) {
          const std::string& s = v.items[i].value;
          if (i) out += ", ";
          out += v.items[i].kind == Node::Kind::str && needs_quotes(s) ? quoted(s) : s;
        }
        out += "]\n";
        return;
      }
      out += '\n';
      for (const Node& item : v.items) {
        out += std::string(indent + 2, ' ') + "-";
        if (item.kind == Node::Kind::map && !item.keys.empty()) {
          emit_map(item, indent + 4, out, true);
        } else {
          emit_value(item, indent + 2, indent + 3, out);
        }
      }
      return;
  }
}

void emit_map(const Node& n, std::size_t indent, std::string& out, bool first_inline) {
  for (std::size_t i = 0; i < n.keys.size(); ++i) {
    if (i == 0 && first_inline) {
      out += ' ';
    } else {
      out += std::string(indent, ' ');
    }
    out += n.keys[i];
    out += ':';
    emit_value(n.values[i], indent, indent + n.keys[i].size() + 1, out);
  }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary (closed lists of schemas/record.v1.schema.json)

using Strings = std::vector<std::string>;

const Strings& org_types() {
  static const Strings v = {"ministerial-department",
                            "non-ministerial-department",
                            "arms-length-body",
                            "local-authority",
                            "nhs-body",
                            "police-force",
                            "school-or-college",
                            "regulator",
                            "devolved-administration",
                            "other"};
  return v;
}
const Strings& mission_areas() {
  static const Strings v = {"crime-and-policing",      "education",  "health",
                            "energy-and-net-zero",     "growth",     "justice",
                            "immigration-and-borders", "employment", "welfare-and-benefits",
                            "tax-and-revenue",         "transport",  "defence",
                            "local-services",          "other"};
  return v;
}
const Strings& phases() {
  static const Strings v = {"idea", "pre-deployment", "pilot", "production", "retired"};
  return v;
}
const Strings& tool_types() {
  static const Strings v = {"classical-ml",    "generative",  "llm_assistant", "chatbot",
                            "computer-vision", "rules-based", "agentic",       "other"};
  return v;
}
const Strings& protected_characteristics() {
  static const Strings v = {"age",
                            "disability",
                            "gender_reassignment",
                            "marriage_civil_partnership",
                            "pregnancy_maternity",
                            "race",
                            "religion_or_belief",
                            "sex",
                            "sexual_orientation"};
  return v;
}
const Strings& security_tests() {
  static const Strings v = {"pentest",          "red_team",    "adversarial",
                            "prompt_injection", "code_review", "other"};
  return v;
}
const Strings& genai_tool_types() {
  static const Strings v = {"generative", "llm_assistant", "chatbot", "agentic"};
  return v;
}

bool contains(const Strings& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::string slugify(const std::string& s) {
  std::string out;
  for (const char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      out += c;
    } else if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c - 'A' + 'a');
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  if (out.size() > 60) {
    out.resize(60);
    while (!out.empty() && out.back() == '-') out.pop_back();
  }
  return out.empty() ? "x" : out;
}

std::string with_commas(long long n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Organisations

const Strings& places() {
  static const Strings v = {
      "Northshire",      "Eastbridge",  "Harrowdale",      "Kestrel Valley", "Marchfield",
      "Wexmoor",         "Oakridge",    "Ashcombe",        "Bramley Vale",   "Calder Heath",
      "Dunmore",         "Elmsworth",   "Fenwick",         "Glenholme",      "Hartwell",
      "Kingsmere",       "Longmarsh",   "Millbrook",       "Netherby",       "Oldcastle",
      "Pennington",      "Queensford",  "Ravensholm",      "Saltmarsh",      "Thornleigh",
      "Upperton",        "Valecrest",   "Westhaven",       "Yarrowby",       "Brackenford",
      "Coldharbour",     "Deepdale",    "Eastmere",        "Fairholt",       "Greystone",
      "Hollowell",       "Larkspur",    "Moorcroft",       "Northam Cross",  "Orchard Vale",
      "Pickering Heath", "Redbank",     "Southwold Marsh", "Tamberley",      "Underhill",
      "Whitcombe",       "Aldermoor",   "Birchover",       "Cresswell",      "Dovecote",
      "Ellerby",         "Foxley",      "Gorsebrook",      "Hazelmere",      "Ingleton Moor",
      "Juniper Hill",    "Kirkbeck",    "Lindenford",      "Mistleigh",      "Norbury Fen",
      "Otterburn Vale",  "Priory Mead", "Rookwood",        "Stanmere",       "Tidewater"};
  return v;
}

const Strings& topics() {
  static const Strings v = {"Clean Energy",
                            "Public Service Reform",
                            "Social Security",
                            "Transport",
                            "Education",
                            "Health and Care",
                            "Justice",
                            "Home Affairs",
                            "Business and Trade",
                            "Environment",
                            "Work and Skills",
                            "Housing and Communities",
                            "Digital Government",
                            "Defence Support",
                            "Borders and Migration",
                            "Food and Rural Affairs",
                            "Science and Innovation",
                            "Culture and Sport"};
  return v;
}

// Mission areas a topic's organisations mostly work in.
Strings topic_areas(const std::string& topic) {
  static const std::map<std::string, Strings> areas = {
      {"Clean Energy", {"energy-and-net-zero", "growth"}},
      {"Public Service Reform", {"other", "local-services", "employment"}},
      {"Social Security", {"welfare-and-benefits", "employment"}},
      {"Transport", {"transport"}},
      {"Education", {"education", "employment"}},
      {"Health and Care", {"health"}},
      {"Justice", {"justice", "crime-and-policing"}},
      {"Home Affairs", {"crime-and-policing", "immigration-and-borders"}},
      {"Business and Trade", {"growth", "tax-and-revenue"}},
      {"Environment", {"energy-and-net-zero", "other"}},
      {"Work and Skills", {"employment", "education", "welfare-and-benefits"}},
      {"Housing and Communities", {"local-services", "welfare-and-benefits"}},
      {"Digital Government", {"other", "local-services"}},
      {"Defence Support", {"defence"}},
      {"Borders and Migration", {"immigration-and-borders"}},
      {"Food and Rural Affairs", {"growth", "energy-and-net-zero", "other"}},
      {"Science and Innovation", {"growth", "energy-and-net-zero"}},
      {"Culture and Sport", {"other", "growth"}}};
  return areas.at(topic);
}

struct Organisation {
  std::string id, name, type, short_name;
  bool public_authority = true;
  Strings areas;    // mission areas it mostly works in
  Strings teams;    // its teams
  std::string sro;  // its SRO's role
  std::string domain;
  int weight = 1;  // how many records it tends to have
};

Organisation make_org(Rng& rng, const std::string& type) {
  Organisation o;
  o.type = type;
  const std::string place = rng.pick(places());
  const std::string topic = rng.pick(topics());
  if (type == "ministerial-department") {
    o.name = (rng.chance(0.7) ? "Department for " : "Ministry of ") + topic;
    o.id = "dept-" + slugify(topic);
    o.areas = topic_areas(topic);
    o.sro =
        rng.pick(Strings{"Director of Digital and AI", "Chief Data Officer",
                         "Director General, " + topic, "Chief Digital and Information Officer"});
  } else if (type == "non-ministerial-department") {
    static const std::vector<std::pair<std::string, Strings>> kinds = {
        {"National Revenue Office", {"tax-and-revenue"}},
        {"Courts and Tribunals Service", {"justice"}},
        {"Office for Public Statistics", {"other", "growth"}},
        {"Land and Property Registry", {"growth", "other"}},
        {"Charities Register Office", {"other"}},
        {"Food Standards Office", {"health", "growth"}},
        {"Crown Prosecution Office", {"justice", "crime-and-policing"}},
        {"Tribunals Listing Service", {"justice"}}};
    const auto& k = kinds[rng.below(kinds.size())];
    o.name = rng.chance(0.5) ? k.first : place + " " + k.first;
    o.id = slugify(o.name);
    o.areas = k.second;
    o.sro = rng.pick(
        Strings{"Chief Executive", "Director of Digital Services", "Chief Operating Officer"});
  } else if (type == "arms-length-body") {
    static const std::vector<std::pair<std::string, Strings>> kinds = {
        {"Growth Agency", {"growth"}},
        {"Environment Agency", {"energy-and-net-zero", "other"}},
        {"Skills Funding Agency", {"employment", "education"}},
        {"Highways Agency", {"transport"}},
        {"Legal Aid Agency", {"justice", "welfare-and-benefits"}},
        {"Student Finance Agency", {"education"}},
        {"Housing Agency", {"local-services", "welfare-and-benefits"}},
        {"Border Services Agency", {"immigration-and-borders"}},
        {"Defence Equipment Agency", {"defence"}},
        {"Pensions Service", {"welfare-and-benefits"}}};
    const auto& k = kinds[rng.below(kinds.size())];
    o.name = (rng.chance(0.6) ? place + " " : std::string("National ")) + k.first;
    o.id = slugify(o.name);
    o.areas = k.second;
    o.sro =
        rng.pick(Strings{"Chief Executive", "Director of Operations", "Chief Technology Officer"});
  } else if (type == "local-authority") {
    o.name = place + rng.pick(Strings{" County Council", " Borough Council", " City Council",
                                      " District Council", " Metropolitan Borough Council"});
    o.id = slugify(o.name);
    o.areas = {"local-services", "welfare-and-benefits", "transport", "education", "health"};
    o.sro = rng.pick(Strings{"Assistant Director, Customer Experience",
                             "Director of Adult Social Care", "Head of Digital and ICT",
                             "Director of Children's Services", "Director of Place"});
  } else if (type == "nhs-body") {
    o.name = place + rng.pick(Strings{" NHS Foundation Trust", " Hospitals NHS Trust",
                                      " Integrated Care Board", " Community Health NHS Trust"});
    o.id = slugify(o.name);
    o.areas = {"health"};
    o.sro = rng.pick(Strings{"Chief Clinical Information Officer", "Medical Director",
                             "Chief Nursing Officer", "Director of Digital Transformation"});
  } else if (type == "police-force") {
    o.name = place + (rng.chance(0.6) ? " Police" : " Constabulary");
    o.id = slugify(o.name);
    o.areas = {"crime-and-policing"};
    o.sro = rng.pick(Strings{"Assistant Chief Constable, Crime", "Deputy Chief Constable",
                             "Director of Information"});
  } else if (type == "school-or-college") {
    const int form = rng.range(0, 2);
    o.name = form == 0   ? place + " Academy Trust"
             : form == 1 ? place + " College"
                         : "University of " + place;
    o.id = slugify(o.name);
    o.areas = {"education"};
    o.sro = rng.pick(Strings{"Chief Operating Officer", "Deputy Principal",
                             "Pro Vice-Chancellor (Education)", "Director of Education"});
  } else if (type == "regulator") {
    static const std::vector<std::pair<std::string, Strings>> kinds = {
        {"Energy Standards Authority", {"energy-and-net-zero"}},
        {"Care Quality Board", {"health"}},
        {"Schools Inspectorate", {"education"}},
        {"Competition and Markets Office", {"growth"}},
        {"Rail and Road Regulator", {"transport"}},
        {"Information Rights Office", {"other"}},
        {"Financial Conduct Office", {"growth", "tax-and-revenue"}}};
    const auto& k = kinds[rng.below(kinds.size())];
    o.name = rng.chance(0.5) ? k.first : place + " " + k.first;
    o.id = slugify(o.name);
    o.areas = k.second;
    o.sro = rng.pick(
        Strings{"Executive Director, Regulation", "Chief Data Officer", "General Counsel"});
  } else if (type == "devolved-administration") {
    o.name = place + " Government, " + topic + " Directorate";
    o.id = slugify(place + " gov " + topic);
    o.areas = topic_areas(topic);
    o.sro =
        rng.pick(Strings{"Director, " + topic, "Chief Digital Officer", "Deputy Director, Data"});
  } else {
    static const std::vector<std::pair<std::string, Strings>> kinds = {
        {"Fire and Rescue Service", {"local-services"}},
        {"Combined Authority", {"transport", "growth", "employment"}},
        {"Transport Partnership", {"transport"}},
        {"Probation Service", {"justice", "crime-and-policing"}},
        {"Coastguard Service", {"transport", "defence"}},
        {"Housing Association", {"local-services", "welfare-and-benefits"}}};
    const auto& k = kinds[rng.below(kinds.size())];
    o.name = place + " " + k.first;
    o.id = slugify(o.name);
    o.areas = k.second;
    o.public_authority = rng.chance(0.6);
    o.sro = rng.pick(Strings{"Chief Executive", "Director of Operations", "Head of Digital"});
  }
  o.short_name = o.name;
  o.domain = slugify(place) + ".gov.example";
  if (type == "ministerial-department" || type == "non-ministerial-department" ||
      type == "arms-length-body" || type == "regulator") {
    o.domain = o.id + ".gov.example";
  }
  if (type == "nhs-body") o.domain = o.id + ".nhs.example";
  if (type == "school-or-college") o.domain = o.id + ".ac.example";
  o.teams = Strings{"Data Science",
                    "Digital Services",
                    "Customer Services and Digital",
                    "Analytics and Insight",
                    "Service Transformation",
                    "Operational Research",
                    "Automation Centre of Excellence",
                    "Information Governance",
                    "Performance and Intelligence",
                    "Casework Improvement",
                    "AI Delivery Unit",
                    "Business Intelligence"};
  std::vector<std::size_t> keep =
      rng.sample(o.teams.size(), static_cast<std::size_t>(rng.range(1, 3)));
  Strings teams;
  for (const std::size_t i : keep) teams.push_back(o.teams[i]);
  o.teams = teams;
  o.weight = rng.chance(0.15) ? rng.range(4, 10) : rng.range(1, 3);
  return o;
}

// ---------------------------------------------------------------------------------------------
// Use cases: what a tool does, for whom, with what data

struct UseCase {
  std::string name;     // "Missing person risk triage"
  Strings types;        // tool types, the first most likely
  Strings areas;        // mission areas
  std::string does;     // "scores each new missing person report ..."
  std::string users;    // "call handlers and duty inspectors"
  std::string role;     // informs | recommends | decides
  bool affects = true;  // can affect particular people
  bool pub = false;     // members of the public use it directly
  bool synthetic = false;
  std::string annex = "none";
  Strings special;  // special categories it typically processes
  std::vector<std::pair<std::string, std::string>> sources;
  Strings metrics;
};

// Data tables, one entry or sentence per line, left as written.
// clang-format off
const std::vector<UseCase>& use_cases() {
  static const std::vector<UseCase> v = {
      {.name = "Missing person risk triage", .types = {"classical-ml", "rules-based"}, .areas = {"crime-and-policing"},
       .does = "suggests a risk grade for each new missing person report so that the highest-risk cases are looked at first",
       .users = "call handlers and duty inspectors", .role = "recommends", .affects = true, .pub = false, .synthetic = false,
       .annex = "law_enforcement", .special = {"health", "ethnicity"},
       .sources = {{"Missing person reports", "Details recorded when a person is reported missing, including age, circumstances and previous episodes."},
                   {"Previous incidents", "Earlier incidents involving the missing person held in the force's records system."}},
       .metrics = {"share of high-risk cases graded high", "agreement with supervisor grading"}},
      {.name = "Body-worn footage redaction", .types = {"computer-vision"}, .areas = {"crime-and-policing", "justice"},
       .does = "finds and blurs faces, number plates and screens in body-worn video before it is shared",
       .users = "disclosure officers", .role = "informs", .affects = true, .pub = false, .synthetic = true,
       .annex = "none", .special = {"biometric"},
       .sources = {{"Body-worn video", "Footage recorded by officers' body-worn cameras that must be disclosed or published."}},
       .metrics = {"faces found in test footage", "frames needing manual correction"}},
      {.name = "Custody notes assistant", .types = {"llm_assistant", "generative"}, .areas = {"crime-and-policing"},
       .does = "drafts custody record entries from what the custody officer dictates",
       .users = "custody sergeants", .role = "informs", .affects = true, .pub = false, .synthetic = true,
       .annex = "none", .special = {"health"},
       .sources = {{"Dictated notes", "What the custody officer says during booking in and reviews."},
                   {"Custody record", "Entries in the custody system for the current detention."}},
       .metrics = {"drafts accepted without change", "time to complete a booking-in record"}},
      {.name = "Non-emergency enquiry assistant", .types = {"chatbot"}, .areas = {"crime-and-policing", "local-services"},
       .does = "answers questions from the public about reporting non-urgent crime and lost property",
       .users = "members of the public using the website", .role = "informs", .affects = true, .pub = true, .synthetic = true,
       .annex = "none", .special = {},
       .sources = {{"Published guidance", "Pages on the website about reporting crime, lost property and firearms licensing."},
                   {"Conversations", "What people type into the chat window."}},
       .metrics = {"answers judged correct in weekly review", "conversations handed to staff"}},
      {.name = "Writing feedback assistant", .types = {"generative", "llm_assistant"}, .areas = {"education"},
       .does = "gives pupils written feedback on drafts of their essays before they hand them in",
       .users = "pupils and teachers", .role = "informs", .affects = true, .pub = true, .synthetic = true,
       .annex = "education", .special = {},
       .sources = {{"Pupil drafts", "Essays and answers that pupils submit for feedback."},
                   {"Marking schemes", "The school's marking criteria for each subject and year group."}},
       .metrics = {"teacher agreement with feedback", "pupils who found feedback useful"}},
      {.name = "Admissions shortlisting", .types = {"classical-ml", "rules-based"}, .areas = {"education"},
       .does = "ranks applications to oversubscribed courses against the published admissions criteria",
       .users = "admissions tutors", .role = "recommends", .affects = true, .pub = false, .synthetic = false,
       .annex = "education", .special = {"ethnicity", "health"},
       .sources = {{"Application forms", "Qualifications, predicted grades and personal statements submitted by applicants."},
                   {"Contextual data", "School and postcode indicators used for contextual offers."}},
       .metrics = {"agreement with tutor decisions", "applications needing manual review"}},
      {.name = "Attendance early warning", .types = {"classical-ml"}, .areas = {"education", "local-services"},
       .does = "flags pupils whose attendance pattern suggests they may become persistently absent",
       .users = "attendance officers and heads of year", .role = "recommends", .affects = true, .pub = false, .synthetic = false,
       .annex = "education", .special = {"health"},
       .sources = {{"Attendance registers", "Daily attendance marks for each pupil."},
                   {"Pupil records", "Year group, school moves and support plans held by the school."}},
       .metrics = {"precision of flags", "share of persistently absent pupils flagged early"}},
      {.name = "Appointment support prediction", .types = {"classical-ml"}, .areas = {"health"},
       .does = "predicts which outpatients may miss an appointment so that staff can offer a reminder call or transport",
       .users = "outpatient booking teams", .role = "recommends", .affects = true, .pub = false, .synthetic = false,
       .annex = "none", .special = {"health", "ethnicity"},
       .sources = {{"Appointment history", "Past appointments, cancellations and missed appointments from the patient administration system."},
                   {"Referral details", "Specialty, clinic type and travel distance for each booking."}},
       .metrics = {"area under the ROC curve", "missed appointment rate"}},
      {.name = "Clinic letter drafting", .types = {"llm_assistant", "generative"}, .areas = {"health"},
       .does = "drafts clinic letters to GPs and patients from the consultant's notes",
       .users = "consultants and medical secretaries", .role = "informs", .affects = true, .pub = false, .synthetic = true,
       .annex = "none", .special = {"health"},
       .sources = {{"Consultation notes", "The clinician's notes and dictation from the appointment."},
                   {"Letter templates", "The trust's approved letter formats for each specialty."}},
       .metrics = {"letters sent without clinical changes", "average time to send a letter"}},
      {.name = "Urgent care signposting chatbot", .types = {"chatbot"}, .areas = {"health"},
       .does = "asks people about their symptoms and suggests where to get help, such as a pharmacy, GP or urgent treatment centre",
       .users = "members of the public", .role = "recommends", .affects = true, .pub = true, .synthetic = true,
       .annex = "none", .special = {"health"},
       .sources = {{"Clinical content", "Signposting pathways approved by the clinical safety officer."},
                   {"Conversations", "Symptoms and answers that people type into the chat."}},
       .metrics = {"safe signposting rate in clinical audit", "conversations escalated to 111"}},
      {.name = "Chest X-ray triage", .types = {"computer-vision"}, .areas = {"health"},
       .does = "highlights chest X-rays that may show an urgent abnormality so that radiologists report them first",
       .users = "radiologists and reporting radiographers", .role = "recommends", .affects = true, .pub = false, .synthetic = false,
       .annex = "none", .special = {"health"},
       .sources = {{"X-ray images", "Chest X-ray images from the trust's picture archiving system."}},
       .metrics = {"sensitivity for urgent findings", "specificity"}},
      {.name = "Statistics commentary agent", .types = {"agentic", "generative"}, .areas = {"energy-and-net-zero", "growth", "other"},
       .does = "drafts the written commentary that goes with monthly statistics releases",
       .users = "statisticians", .role = "informs", .affects = false, .pub = false, .synthetic = true,
       .annex = "none", .special = {},
       .sources = {{"Published statistics", "The tables of each monthly release before publication."}},
       .metrics = {"statements needing correction", "drafting time saved"}},
      {.name = "Call recording transcription", .types = {"generative", "other"}, .areas = {"energy-and-net-zero", "tax-and-revenue", "other"},
       .does = "turns recorded calls into text so that complaints and quality checks can be searched",
       .users = "quality and complaints teams", .role = "informs", .affects = true, .pub = false, .synthetic = true,
       .annex = "none", .special = {},
       .sources = {{"Call recordings", "Recordings of calls to the contact centre, kept for quality purposes."}},
       .metrics = {"word error rate", "calls transcribed within a day"}},
      {.name = "Heat network fault prediction", .types = {"classical-ml"}, .areas = {"energy-and-net-zero"},
       .does = "predicts which parts of the heat network are likely to fail so that repairs can be planned",
       .users = "network engineers", .role = "informs", .affects = false, .pub = false, .synthetic = false,
       .annex = "critical_infrastructure", .special = {},
       .sources = {{"Sensor readings", "Temperature, pressure and flow readings from the network."},
                   {"Maintenance history", "Past faults and repairs recorded by engineers."}},
       .metrics = {"faults predicted a week ahead", "false alarms a month"}},
      {.name = "Grant application summaries", .types = {"llm_assistant", "generative"}, .areas = {"growth"},
       .does = "summarises grant applications for the assessors who score them",
       .users = "grant assessors", .role = "informs", .affects = true, .pub = false, .synthetic = true,
       .annex = "none", .special = {},
       .sources = {{"Grant applications", "Forms and business plans submitted by applicants."}},
       .metrics = {"summaries rated accurate by assessors", "assessment time per application"}},
      {.name = "Business support enquiries chatbot", .types = {"chatbot", "llm_assistant"}, .areas = {"growth", "tax-and-revenue"},
       .does = "answers questions from small businesses about support schemes and how to apply",
       .users = "business owners", .role = "informs", .affects = false, .pub = true, .synthetic = true,
       .annex = "none", .special = {},
       .sources = {{"Scheme guidance", "Published guidance on business support schemes."},
                   {"Conversations", "Questions typed by people using the service."}},
       .metrics = {"answers judged correct", "handoffs to advisers"}},
      {.name = "Hearing duration estimator", .types = {"classical-ml"}, .areas = {"justice"},
       .does = "suggests how long to book for each tribunal hearing",
       .users = "listing officers", .role = "informs", .affects = false, .pub = false, .synthetic = false,
       .annex = "none", .special = {},
       .sources = {{"Case records", "Case type, number of parties and witnesses and interpreter needs."},
                   {"Past hearings", "How long past hearings of similar cases took."}},
       .metrics = {"mean absolute error (minutes)", "hearings overrunning"}},
      {.name = "Tribunal bundle summariser", .types = {"llm_assistant", "generative"}, .areas = {"justice"},
       .does = "summarises the documents in a hearing bundle for the judge",
       .users = "tribunal judges", .role = "informs", .affects = true, .pub = false, .synthetic = true,
       .annex = "justice_democracy", .special = {"health"},
       .sources = {{"Hearing bundles", "Documents submitted by the parties to a case."}},
       .metrics = {"summaries rated accurate by judges", "missed key documents"}},
      {.name = "Visa document checks", .types = {"computer-vision", "classical-ml"}, .areas = {"immigration-and-borders"},
       .does = "checks uploaded documents for signs of tampering and flags doubtful ones to a caseworker",
       .users = "visa caseworkers", .role = "recommends", .affects = true, .pub = false, .synthetic = false,
       .annex = "migration", .special = {"biometric"},
       .sources = {{"Uploaded documents", "Passports, bank statements and letters uploaded with applications."}},
       .metrics = {"tampered documents detected in testing", "false flags per thousand applications"}},
      {.name = "Casework correspondence drafting", .types = {"generative", "llm_assistant"}, .areas = {"immigration-and-borders", "welfare-and-benefits"},
       .does = "drafts replies to letters and emails from applicants and their representatives",
       .users = "caseworkers", .role = "informs", .affects = true, .pub = false, .synthetic = true,
       .annex = "none", .special = {},
       .sources = {{"Correspondence", "Letters and emails received about a case."},
                   {"Case notes", "The caseworker's notes on the case."}},
       .metrics = {"drafts sent after light edits", "response time"}},
      {.name = "Job matching recommender", .types = {"classical-ml"}, .areas = {"employment"},
       .does = "suggests vacancies that match a jobseeker's skills, experience and travel limits",
       .users = "work coaches and jobseekers", .role = "recommends", .affects = true, .pub = true, .synthetic = false,
       .annex = "employment", .special = {"health"},
       .sources = {{"Jobseeker profiles", "Skills, work history and preferences recorded with the work coach."},
                   {"Vacancies", "Jobs advertised by employers on the service."}},
       .metrics = {"recommendations applied for", "job starts within 13 weeks"}},
      {.name = "Work coach notes summariser", .types = {"llm_assistant"}, .areas = {"employment", "welfare-and-benefits"},
       .does = "summarises the notes of previous appointments before a work coach meets a claimant",
       .users = "work coaches", .role = "informs", .affects = true, .pub = false, .synthetic = true,
       .annex = "none", .special = {"health"},
       .sources = {{"Appointment notes", "Notes of earlier appointments with the claimant."}},
       .metrics = {"summaries rated accurate", "preparation time saved"}},
      {.name = "Advance claim risk review", .types = {"classical-ml"}, .areas = {"welfare-and-benefits"},
       .does = "selects advance payment requests for extra checks before payment",
       .users = "fraud and error caseworkers", .role = "recommends", .affects = true, .pub = false, .synthetic = false,
       .annex = "essential_services", .special = {},
       .sources = {{"Advance requests", "Details given by claimants when they ask for an advance."},
                   {"Claim history", "Earlier claims and payments."}},
       .metrics = {"fraud found per check", "selection rate"}},
      {.name = "Free school meals auto-award", .types = {"rules-based"}, .areas = {"welfare-and-benefits", "education", "local-services"},
       .does = "awards free school meals automatically to children whose families already get a qualifying benefit",
       .users = "the council's benefits team", .role = "decides", .affects = true, .pub = false, .synthetic = false,
       .annex = "essential_services", .special = {},
       .sources = {{"Benefit records", "Housing benefit and council tax support records held by the council."},
                   {"School census", "The list of pupils at schools in the area."}},
       .metrics = {"eligible children awarded", "awards later found wrong"}},
      {.name = "Housing benefit document checker", .types = {"computer-vision", "classical-ml"}, .areas = {"welfare-and-benefits", "local-services"},
       .does = "reads uploaded payslips and tenancy agreements and fills in the claim form for checking",
       .users = "benefits assessors", .role = "informs", .affects = true, .pub = true, .synthetic = false,
       .annex = "none", .special = {},
       .sources = {{"Uploaded evidence", "Payslips, bank statements and tenancy agreements uploaded by claimants."}},
       .metrics = {"fields read correctly", "claims processed per day"}},
      {.name = "VAT repayment risk scoring", .types = {"classical-ml"}, .areas = {"tax-and-revenue"},
       .does = "scores VAT repayment claims so that the riskiest are checked before payment",
       .users = "compliance officers", .role = "recommends", .affects = false, .pub = false, .synthetic = false,
       .annex = "none", .special = {},
       .sources = {{"VAT returns", "Returns and repayment claims submitted by businesses."},
                   {"Trader history", "Past compliance checks and outcomes."}},
       .metrics = {"yield per check", "share of claims selected"}},
      {.name = "Tax helpline virtual assistant", .types = {"chatbot"}, .areas = {"tax-and-revenue"},
       .does = "answers common questions about tax codes, payments and deadlines",
       .users = "members of the public", .role = "informs", .affects = true, .pub = true, .synthetic = true,
       .annex = "none", .special = {},
       .sources = {{"Guidance", "Published tax guidance."},
                   {"Conversations", "Questions typed by callers."}},
       .metrics = {"answers judged correct", "conversations handed to advisers"}},
      {.name = "Road defect detection", .types = {"computer-vision"}, .areas = {"transport", "local-services"},
       .does = "finds potholes and worn road markings in video taken from council vehicles",
       .users = "highways inspectors", .role = "informs", .affects = false, .pub = false, .synthetic = false,
       .annex = "none", .special = {},
       .sources = {{"Vehicle video", "Video recorded by cameras on refuse and highways vehicles."}},
       .metrics = {"defects found that inspectors confirm", "road length surveyed a month"}},
      {.name = "Bus punctuality forecasting", .types = {"classical-ml"}, .areas = {"transport"},
       .does = "forecasts delays on bus routes so that timetables can be adjusted",
       .users = "transport planners", .role = "informs", .affects = false, .pub = false, .synthetic = false,
       .annex = "none", .special = {},
       .sources = {{"Bus location data", "Vehicle positions reported by operators."}},
       .metrics = {"forecast error (minutes)", "routes covered"}},
      {.name = "Blue badge application assistant", .types = {"rules-based", "agentic"}, .areas = {"transport", "local-services"},
       .does = "checks blue badge applications for missing evidence and suggests whether they meet the criteria",
       .users = "blue badge assessors", .role = "recommends", .affects = true, .pub = true, .synthetic = false,
       .annex = "none", .special = {"health"},
       .sources = {{"Applications", "Blue badge application forms and evidence."}},
       .metrics = {"applications needing resubmission", "time to decision"}},
      {.name = "Maintenance parts demand forecasting", .types = {"classical-ml"}, .areas = {"defence"},
       .does = "forecasts demand for spare parts so that stock can be ordered in time",
       .users = "logistics planners", .role = "informs", .affects = false, .pub = false, .synthetic = false,
       .annex = "none", .special = {},
       .sources = {{"Stock records", "Stock levels, orders and issues."},
                   {"Maintenance logs", "Planned and unplanned maintenance."}},
       .metrics = {"forecast accuracy", "stock-outs"}},
      {.name = "Policy document search assistant", .types = {"llm_assistant"}, .areas = {"defence", "other"},
       .does = "answers staff questions with references to internal policy documents",
       .users = "staff", .role = "informs", .affects = false, .pub = false, .synthetic = true,
       .annex = "none", .special = {},
       .sources = {{"Policy library", "Internal policy documents and guidance."}},
       .metrics = {"answers with a correct reference", "weekly users"}},
      {.name = "Resident enquiries chatbot", .types = {"chatbot"}, .areas = {"local-services"},
       .does = "answers common questions about bins, council tax, parking and libraries",
       .users = "residents", .role = "informs", .affects = true, .pub = true, .synthetic = true,
       .annex = "none", .special = {},
       .sources = {{"Website content", "Published pages about council services."},
                   {"Conversations", "What residents type into the chat."}},
       .metrics = {"answers judged correct", "conversations passed to staff"}},
      {.name = "Planning application validation", .types = {"rules-based", "agentic"}, .areas = {"local-services", "growth"},
       .does = "checks new planning applications for missing plans and documents",
       .users = "planning technicians", .role = "recommends", .affects = true, .pub = false, .synthetic = false,
       .annex = "none", .special = {},
       .sources = {{"Planning applications", "Forms, plans and documents submitted by applicants."}},
       .metrics = {"applications validated first time", "days to validation"}},
      {.name = "Fly-tipping image classification", .types = {"computer-vision"}, .areas = {"local-services"},
       .does = "sorts photos of fly-tipping reported by residents by type of waste",
       .users = "street cleansing teams", .role = "informs", .affects = false, .pub = true, .synthetic = false,
       .annex = "none", .special = {},
       .sources = {{"Reported photos", "Photos sent in with fly-tipping reports."}},
       .metrics = {"photos classified correctly", "collection time"}},
      {.name = "Consultation response analysis", .types = {"llm_assistant", "generative"}, .areas = {"other", "energy-and-net-zero", "growth"},
       .does = "groups consultation responses by theme so that analysts can read them faster",
       .users = "policy analysts", .role = "informs", .affects = false, .pub = false, .synthetic = true,
       .annex = "none", .special = {},
       .sources = {{"Consultation responses", "Responses submitted online or by post."}},
       .metrics = {"theme agreement with analysts", "responses processed a day"}},
      {.name = "Information request routing", .types = {"classical-ml", "other"}, .areas = {"other", "justice"},
       .does = "suggests which team should answer each freedom of information request",
       .users = "information rights officers", .role = "recommends", .affects = false, .pub = false, .synthetic = false,
       .annex = "none", .special = {},
       .sources = {{"Requests", "Freedom of information requests received."}},
       .metrics = {"requests routed correctly", "days saved"}},
      {.name = "Meeting minutes drafting", .types = {"generative"}, .areas = {"other", "defence", "growth"},
       .does = "drafts minutes of internal meetings from recordings",
       .users = "secretariat staff", .role = "informs", .affects = false, .pub = false, .synthetic = true,
       .annex = "none", .special = {},
       .sources = {{"Meeting recordings", "Audio of internal meetings, deleted after drafting."}},
       .metrics = {"minutes approved without change", "drafting time saved"}},
  };
  return v;
}

// ---------------------------------------------------------------------------------------------
// Prose: sentence pools with {placeholders}

struct Context {
  std::string tool, org, users, does, team, place, supplier, area;
};

std::string fill(Rng& rng, const std::string& tmpl, const Context& c) {
  std::string out;
  for (std::size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] != '{') {
      out += tmpl[i];
      continue;
    }
    const std::size_t close = tmpl.find('}', i);
    const std::string key = tmpl.substr(i + 1, close - i - 1);
    i = close;
    const std::pair<const char*, const std::string*> fields[] = {
        {"tool", &c.tool}, {"org", &c.org},     {"users", &c.users},       {"does", &c.does},
        {"team", &c.team}, {"place", &c.place}, {"supplier", &c.supplier}, {"area", &c.area}};
    const auto field = std::find_if(std::begin(fields), std::end(fields),
                                    [&](const auto& f) { return key == f.first; });
    if (field != std::end(fields)) out += *field->second;
    else if (key == "n") out += with_commas(100LL * rng.range(2, 400));
    else if (key == "k") out += std::to_string(rng.range(2, 40));
    else if (key == "pct") out += std::to_string(rng.range(3, 45));
    else if (key == "year") out += std::to_string(rng.range(2019, 2026));
    else out += key;
  }
  return out;
}

std::string prose(Rng& rng, const Strings& pool, int kmin, int kmax, const Context& c) {
  const auto picks = rng.sample(pool.size(), static_cast<std::size_t>(rng.range(kmin, kmax)));
  std::string out;
  for (const std::size_t i : picks) {
    if (!out.empty()) out += ' ';
    out += fill(rng, pool[i], c);
  }
  return out;
}

const Strings& description_sentences() {
  static const Strings v = {
      "It does not make decisions on its own: a member of staff checks every result before anything happens.",
      "You can ask for your case to be handled without the tool, and it will not count against you.",
      "It only uses information that {org} already holds for this service.",
      "It was introduced in {year} after a pilot with {k} staff.",
      "Its results are checked regularly by the {team} team, who can switch it off at any time.",
      "It cannot see or change your account, and it does not store anything you tell it for longer than it needs to.",
      "Nothing it produces is sent to you without a person reading it first.",
      "It is not used to decide on benefits, housing, enforcement or anything else about you.",
      "We tell you when it has been used in your case, and you can ask us how.",
      "It handles about {n} cases a year.",
      "Staff were involved in designing it, and their feedback is used to improve it.",
      "It replaced a paper checklist that took staff much longer to complete.",
      "If it is unavailable, staff carry on using the process we used before.",
      "It is hosted in the UK, and the information it uses is not used to train other products.",
      "It gives staff a reason for each suggestion, in plain words, so that they can check it.",
      "It treats everyone the same way: it does not use your race, religion or any other protected characteristic.",
  };
  return v;
}

const Strings& problem_texts() {
  static const Strings v = {
      "Staff spent a large part of each week on this work, about {n} hours a year across the service, and people waited longer than they should.",
      "Demand rose by {pct}% in three years while the number of staff stayed the same, and backlogs grew.",
      "Before the tool, cases were dealt with in the order they arrived, so urgent cases could wait behind simple ones.",
      "Checks were done by hand and were not consistent between teams, which led to complaints and appeals.",
      "The old process relied on a spreadsheet that only two people understood, which was a risk to the service.",
      "About {pct}% of the work was simple and repetitive and could be done faster, leaving staff more time for people who need help.",
      "Errors found late in the process cost about {n} pounds a year to put right.",
  };
  return v;
}

const Strings& benefit_texts() {
  static const Strings v = {
      "People get an answer sooner, and staff can spend more time on complex or urgent cases.",
      "Cases that need attention are seen sooner, which should reduce harm and avoid delay.",
      "The service is more consistent: similar cases are treated in a similar way across teams.",
      "It saves about {n} staff hours a year, which is spent on work with the public.",
      "Fewer mistakes reach the people we serve, and fewer decisions have to be corrected on appeal.",
      "Residents can get help at any time of day, including evenings and weekends.",
  };
  return v;
}

const Strings& alternatives_texts() {
  static const Strings v = {
      "We considered hiring more staff, which was not affordable, and simpler rules, which could not handle the variety of cases.",
      "A rules-based checklist was tried first; it missed too many cases and was dropped.",
      "We compared three suppliers' products and an in-house build, and chose the option that could be explained and tested.",
      "Not using AI was considered. The manual process was kept as a fallback and is still used when the tool is unavailable.",
      "An off-the-shelf product was rejected because the supplier would not share test results.",
  };
  return v;
}

const Strings& process_texts() {
  static const Strings v = {
      "The tool's output appears next to each case in the case management system, where {users} see it with the rest of the case before deciding what to do.",
      "Each morning the tool produces a list that {users} work through in order; they record what they did and why.",
      "The output is a draft or suggestion only. {users} review it, change it where needed and remain responsible for what is sent or decided.",
      "Cases the tool flags go to a senior member of staff, who looks at all the evidence before any action is taken.",
      "Results are fed into the weekly planning meeting, where the {team} team decides what to act on.",
  };
  return v;
}

const Strings& oversight_texts() {
  static const Strings v = {
      "{users} review every output before it is used and can disregard or change it. A supervisor checks a sample of {k} cases each week.",
      "Staff can override the tool at any point and must record a reason when they do. Overrides are reviewed monthly to improve the tool.",
      "A named senior officer is responsible for the tool's use and reviews its performance each quarter with the {team} team.",
      "No action is taken on the tool's output alone; a trained member of staff always looks at the full case first.",
  };
  return v;
}

const Strings& training_texts() {
  static const Strings v = {
      "All users complete a two-hour course on what the tool does, its limits and how to challenge it.",
      "Training by the {team} team before first use, with a refresher each year.",
      "Users were trained by the supplier and by our information governance team.",
      "An e-learning module and a supervised first week of use.",
  };
  return v;
}

const Strings& redress_texts() {
  static const Strings v = {
      "You can ask us to look at your case again through our complaints procedure, and then go to the Ombudsman if you are not satisfied.",
      "Contact us using the details on this page if you think the tool got something wrong; a member of staff will review it within 10 working days.",
      "You can ask for a review of any decision, and you can appeal to the tribunal. The tool's output is included in the review file.",
      "Tell the person dealing with your case, or use our online complaints form.",
  };
  return v;
}

const Strings& retention_texts() {
  static const Strings v = {
      "Records are kept for {k} months and then deleted, unless they are part of an open case.",
      "Kept for six years in line with our retention schedule, then securely destroyed.",
      "Inputs are deleted after 30 days; outputs are kept with the case record for its retention period.",
      "Kept for as long as the case is open and two years after it closes.",
  };
  return v;
}

const Strings& representativeness_texts() {
  static const Strings v = {
      "The training data covers {n} cases from the last three years. We compared the age, sex and ethnicity of people in it with the population we serve and found no large gaps.",
      "Tested on cases from every team and site. Groups with few cases, such as people over 80, were checked separately.",
      "The data under-represents people who contact us by phone rather than online; we added a sample of phone cases to the test set.",
      "Historic data reflects past practice, which may include bias; we removed fields that stand in for protected characteristics.",
  };
  return v;
}

const Strings& scale_texts() {
  static const Strings v = {
      "about {n} cases a year across {k} teams",
      "used by {k} staff on about {n} cases a month",
      "around {n} conversations a month",
      "all new referrals, about {n} a year",
      "a pilot in {k} teams, about {n} cases so far",
  };
  return v;
}

const Strings& supplier_names() {
  static const Strings v = {
      "Civicchat Digital Ltd",      "Northgate Analytics Ltd", "Brightlane AI Ltd",
      "Meridian Data Services Ltd", "Harbour Insight Ltd",     "Clearpath Technologies Ltd",
      "Fernbridge Software Ltd",    "Quillon Systems Ltd",     "Atlas Public Tech Ltd",
      "Sablewood Labs Ltd",         "Kinetic Casework Ltd",    "Oriel Vision Ltd"};
  return v;
}

const Strings& supplier_roles() {
  static const Strings v = {
      "Provides the software and hosts the model in a UK data centre.",
      "Built the model with our data science team and supports it under a three-year contract.",
      "Supplies the language model through a hosted service; prompts and outputs are not kept.",
      "Maintains the platform and provides second-line support.",
  };
  return v;
}

const Strings& data_terms_texts() {
  static const Strings v = {
      "Processor contract under UK GDPR Art 28, UK hosting, deletion at contract end, no use of our data for other customers.",
      "The supplier acts only on our instructions, keeps data in the UK and lets us audit its handling once a year.",
      "Access is limited to named support staff, logged, and only for incidents we raise.",
  };
  return v;
}

const Strings& testers() {
  static const Strings v = {"Independent testing provider (CHECK-accredited)",
                            "The {team} team, independent of the developers",
                            "Internal audit with an external adviser",
                            "Our IT health check provider",
                            "Academic partner at the University of {place}",
                            "The supplier's red team, observed by our security team",
                            "Government security testing service"};
  return v;
}

const Strings& bias_method_texts() {
  static const Strings v = {
      "Compared error rates between groups on {n} past cases with known outcomes.",
      "Selection rates for each group compared with the overall rate, using the four-fifths rule as a first screen.",
      "Outputs for matched pairs of cases that differed only in a protected characteristic were compared.",
      "An independent reviewer sampled {k} outputs per group and scored them blind.",
  };
  return v;
}

const Strings& metric_names() {
  static const Strings v = {"ratio of selection rates (lowest group / highest group)",
                            "difference in false positive rate",
                            "ratio of accuracy (group / overall)", "equal opportunity difference",
                            "ratio of error rates"};
  return v;
}

const Strings& withheld_reasons() {
  static const Strings v = {
      "Publishing this would help people avoid the checks the tool supports. It is shared in confidence with the regulator.",
      "Commercially confidential under the supplier contract; the information is available to auditors on request.",
      "Withheld for national security reasons under section 24 of the Freedom of Information Act 2000.",
      "Publishing the exact figure would reveal an operational threshold; annual totals are published instead.",
  };
  return v;
}

const Strings& supply_chain_texts() {
  static const Strings v = {
      "Supplier and model provider assessed against the AI Cyber Security Code of Practice in {year}.",
      "The supplier completed our security questionnaire and holds Cyber Essentials Plus; the model provider's assurance reports were reviewed.",
      "Components and libraries are listed in a software bill of materials that is checked for known vulnerabilities each week.",
  };
  return v;
}

const Strings& incident_texts() {
  static const Strings v = {
      "Follows the organisation's information security incident procedure, with an AI-specific annex for switching the tool off.",
      "Incident runbook held by the service desk; the tool can be disabled within an hour and staff return to the manual process.",
      "The supplier's incident plan, tested jointly with our security team once a year.",
  };
  return v;
}

const Strings& disposal_texts() {
  static const Strings v = {
      "The supplier deletes all data and models trained on it within 30 days of contract end and confirms this in writing.",
      "Data and model files are deleted from all environments when the tool is retired; backups expire within 90 days.",
      "Handled under the organisation's secure disposal policy.",
  };
  return v;
}

const Strings& fraud_control_texts() {
  static const Strings v = {
      "Selection thresholds are kept confidential and changed regularly; a random sample of cases is checked regardless of score.",
      "Unusual patterns of use are monitored, and repeated attempts to game the tool are referred to the counter-fraud team.",
      "Inputs are checked against source systems before the tool is used, so false information cannot change its output.",
  };
  return v;
}

const Strings& rationale_texts() {
  static const Strings v = {
      "The tool is used in a UK service; the EU AI Act does not apply.",
      "Falls in an Annex III area, but the tool only performs a narrow preparatory task and does not materially influence the outcome, so Art 6(3) applies.",
      "Assessed against Annex III by legal advisers: the use is high-risk because it affects access to an essential public service.",
      "Not in an Annex III area; the tool supports staff with an administrative task.",
  };
  return v;
}

// clang-format on

// ---------------------------------------------------------------------------------------------
// Records

enum class Profile { compliant, imported, defective };

struct Generated {
  Node root;
  std::string org_id, id, org_type, mission, phase, tool_type;
  Profile profile = Profile::defective;
  int defects = 0;
};

struct Builder {
  Rng& rng;
  int as_of;
  bool quote_dates;

  Node date(int days) const {
    return quote_dates ? Node::str(date_text(days)) : Node::raw(date_text(days));
  }
  Node text(const Strings& pool, int kmin, int kmax, const Context& c) {
    return Node::str(prose(rng, pool, kmin, kmax, c));
  }
  Node strings(const Strings& values) {
    Node s = Node::seq(true);
    for (const auto& v : values) s.items.push_back(Node::str(v));
    return s;
  }
  std::string companies_house_number() {
    static const Strings prefixes = {"", "", "", "", "SC", "NI", "OC"};
    const std::string p = rng.pick(prefixes);
    std::string n = p;
    while (n.size() < 8) n += static_cast<char>('0' + rng.below(10));
    return n;
  }
  std::string reference(const std::string& org_id, const std::string& what) {
    std::string initials;
    std::size_t start = 0;
    while (start < org_id.size() && initials.size() < 4) {
      initials += static_cast<char>(org_id[start] - 'a' + 'A');
      const std::size_t dash = org_id.find('-', start);
      if (dash == std::string::npos) break;
      start = dash + 1;
    }
    return initials + "-" + what + "-" + std::to_string(rng.range(2021, 2026)) + "-" +
           std::to_string(rng.range(1, 199));
  }
};

bool is_live(const std::string& phase) {
  return phase == "pilot" || phase == "production";
}

// Builds a record of `profile`: compliant ones meet every rule of the uk-public-sector pack at
// `as_of`; the other two are altered afterwards.
Generated build_record(Builder& b, const Organisation& org, const UseCase& uc,
                       const std::string& mission, const std::string& phase,
                       const std::string& tool_type, const std::string& id, Profile profile) {
  Rng& rng = b.rng;
  const int A = b.as_of;
  Generated g;
  g.profile = profile;
  g.org_id = org.id;
  g.id = id;
  g.org_type = org.type;
  g.mission = mission;
  g.phase = phase;
  g.tool_type = tool_type;
  Node& r = g.root;

  Context c;
  c.tool = uc.name;
  c.org = org.name;
  c.users = uc.users;
  c.does = uc.does;
  c.team = rng.pick(org.teams);
  c.place = rng.pick(places());
  c.supplier = rng.pick(supplier_names());
  c.area = mission;

  const bool live = is_live(phase);
  const bool genai = contains(genai_tool_types(), tool_type);
  // Dates. Not yet live: a planned start; retired: long ago.
  int start = 0;
  if (live)
    start = A - rng.range(30, phase == "pilot" ? 300 : 1500);
  else if (phase == "retired")
    start = A - rng.range(800, 2500);
  else
    start = A + rng.range(20, 300);
  const int evidence_base = std::min(start, A);  // evidence before start, and not in the future
  auto before_start = [&](int lo, int hi) { return evidence_base - rng.range(lo, hi); };
  auto recent = [&](int hi) { return std::min(A - rng.range(0, hi), A); };

  r.set("schema", Node::str("candor.record/v1"));
  r.set("id", Node::str(id));

  Node& rec = r.set("record", Node::map());
  rec.set("last_reviewed", b.date(recent(phase == "retired" ? 900 : 330)));
  rec.set("completeness", Node::str("complete"));

  Node& o = r.set("organisation", Node::map());
  o.set("id", Node::str(org.id));
  o.set("name", Node::str(org.name));
  o.set("type", Node::str(org.type));
  o.set("public_authority", Node::boolean(org.public_authority));
  o.set("team", Node::str(c.team));
  o.set("sro_role", Node::str(org.sro));

  r.set("mission_area", Node::str(mission));

  Node& tool = r.set("tool", Node::map());
  const bool named_by_place = rng.chance(0.3);
  tool.set("name", Node::str(named_by_place ? uc.name + " for " + c.place : uc.name));
  tool.set("type", Node::str(tool_type));
  const bool third_party = genai ? rng.chance(0.85) : rng.chance(0.3);
  tool.set("third_party_model", Node::boolean(third_party));
  {
    std::string d =
        uc.name + " " + uc.does + ". It is used by " + uc.users + " at " + org.name + ".";
    d += ' ';
    d += prose(rng, description_sentences(), 1, 4, c);
    if (d.size() < 110) {
      d += ' ';
      d += fill(rng, description_sentences()[0], c);
    }
    if (d.size() > 1900) d.resize(d.rfind('.', 1900) + 1);
    tool.set("description_public", Node::str(d));
  }

  r.set("phase", Node::str(phase));
  Node& dep = r.set("deployment", Node::map());
  dep.set("start_date", b.date(start));
  dep.set("scale", b.text(scale_texts(), 1, 1, c));

  const bool pub = uc.pub || (tool_type == "chatbot");
  const bool synthetic = uc.synthetic || genai;
  r.set("interacts_with_public", Node::boolean(pub));
  r.set("generates_synthetic_content", Node::boolean(synthetic));

  Node& purpose = r.set("purpose", Node::map());
  purpose.set("problem_statement", b.text(problem_texts(), 1, 2, c));
  purpose.set("public_benefit", b.text(benefit_texts(), 1, 2, c));
  purpose.set("alternatives_considered", b.text(alternatives_texts(), 1, 2, c));

  // Decision: the use case's role, sometimes varied; solely automated only for "decides".
  std::string role = uc.role;
  if (rng.chance(0.15)) role = rng.pick(Strings{"informs", "recommends", "decides"});
  const bool affects = uc.affects || rng.chance(0.1);
  const bool solely = role == "decides" && rng.chance(0.6);
  const bool significant = affects && (role != "informs" || rng.chance(0.2));
  Node& dec = r.set("decision", Node::map());
  dec.set("role", Node::str(role));
  dec.set("process_integration", b.text(process_texts(), 1, 2, c));
  dec.set("affects_individuals", Node::boolean(affects));
  dec.set("significant_influence", Node::boolean(role != "informs" || rng.chance(0.2)));
  dec.set("solely_automated", Node::boolean(solely));
  dec.set("significant_effect", Node::boolean(significant));
  if (solely && significant) {
    Node& s = r.set("safeguards", Node::map());
    for (const char* k : {"informed", "representations", "human_intervention", "contest"}) {
      s.set(k, Node::boolean(true));
    }
  }

  int level = role == "informs" ? rng.range(1, 2) : rng.range(1, 4);
  if (solely && level >= 3) level = 2;
  Node& ho = r.set("human_oversight", Node::map());
  ho.set("description", b.text(oversight_texts(), 1, 2, c));
  ho.set("can_override", Node::boolean(true));
  ho.set("final_decision_by_human", Node::boolean(!solely));
  ho.set("training", b.text(training_texts(), 1, 1, c));
  r.set("impact", Node::map()).set("level", Node::integer(level));

  // EU AI Act: applies to some (cross-border services, universities with EU students...).
  const bool eu = rng.chance(0.3);
  std::string annex = uc.annex;
  const bool high_risk = eu && annex != "none" && rng.chance(0.6);
  Node& ai = r.set("eu_ai_act", Node::map());
  ai.set("applicable", Node::boolean(eu));
  ai.set("high_risk", Node::boolean(high_risk));
  ai.set("annex_iii_area", Node::str(eu ? annex : (rng.chance(0.7) ? "none" : annex)));
  ai.set("classification_rationale", b.text(rationale_texts(), 1, 2, c));
  if (high_risk) {
    if (org.public_authority) {
      ai.set("eu_database_id", Node::str("EU-HR-" + std::to_string(rng.range(100000, 999999))));
    }
    if (annex != "critical_infrastructure") {
      ai.set("fria", Node::map()).set("completed_on", b.date(before_start(1, 90)));
    }
  }

  Node& tr = r.set("transparency", Node::map());
  if (live || rng.chance(0.5)) {
    tr.set("atrs_record_url",
           Node::str("https://www.gov.uk/algorithmic-transparency-records/" + org.id + "-" + id));
  }
  tr.set("ai_disclosure", Node::boolean(true));
  tr.set("synthetic_labelled", Node::boolean(true));
  tr.set("subjects_informed", Node::boolean(true));

  r.set("redress", Node::map()).set("route", b.text(redress_texts(), 1, 2, c));
  Node& contact = r.set("contact", Node::map());
  contact.set("email", Node::str(rng.pick(Strings{"ai.transparency", "digital.team",
                                                  "data.protection", "enquiries"}) +
                                 std::string("@") + org.domain));
  if (rng.chance(0.8)) contact.set("url", Node::str("https://www." + org.domain + "/ai/" + id));

  // Personal data.
  const bool processed = affects || pub || rng.chance(0.3);
  Node& pd = r.set("personal_data", Node::map());
  pd.set("processed", Node::boolean(processed));
  Strings special;
  if (processed) {
    std::string basis =
        org.type == "police-force" && rng.chance(0.7) ? "law_enforcement" : "public_task";
    if (!org.public_authority)
      basis = rng.pick(Strings{"legitimate_interests", "contract", "consent"});
    else if (rng.chance(0.1))
      basis = rng.pick(Strings{"legal_obligation", "consent", "contract"});
    pd.set("lawful_basis", Node::str(basis));
    for (const auto& s : uc.special) {
      if (rng.chance(0.7)) special.push_back(s);
    }
    if (rng.chance(0.05))
      special.push_back(rng.pick(Strings{"religious_beliefs", "sexual_orientation", "genetic"}));
    std::sort(special.begin(), special.end());
    special.erase(std::unique(special.begin(), special.end()), special.end());
    if (!special.empty() || rng.chance(0.3)) pd.set("special_category", b.strings(special));
    if (!special.empty()) {
      pd.set("art9_condition",
             Node::str(rng.pick(
                 Strings{"Substantial public interest (UK GDPR Art 9(2)(g)) with DPA 2018 Schedule "
                         "1 condition 6, statutory and government purposes.",
                         "Health or social care purposes (UK GDPR Art 9(2)(h)) with DPA 2018 "
                         "Schedule 1 condition 2.",
                         "Law enforcement processing under DPA 2018 s.35(5) and Schedule 8 "
                         "(judicial and statutory purposes).",
                         "Explicit consent (UK GDPR Art 9(2)(a)), recorded before use."})));
      if (solely && significant)
        pd.set("art22b_condition", Node::str("contract_or_law_with_art9_2g"));
    }
  }

  if (processed || rng.chance(0.3)) {
    Node& pv = r.set("privacy", Node::map());
    Node& dpia = pv.set("dpia", Node::map());
    dpia.set("completed_on", b.date(before_start(5, 150)));
    if (rng.chance(0.8)) dpia.set("reference", Node::str(b.reference(org.id, "DPIA")));
    if (rng.chance(0.4)) dpia.set("url", Node::str("https://www." + org.domain + "/dpia/" + id));
    if (!dpia.has("reference") && !dpia.has("url"))
      dpia.set("reference", Node::str(b.reference(org.id, "DPIA")));
    dpia.set("dpo_consulted", Node::boolean(true));
    pv.set("notice_url", Node::str("https://www." + org.domain + "/privacy/" + id));
  }

  // Data sources: 1 to 4, some from other organisations (with a sharing agreement).
  Node& data = r.set("data", Node::map());
  Node& sources = data.set("sources", Node::seq());
  {
    auto srcs = uc.sources;
    const int extra = rng.chance(0.3) ? 1 : 0;
    static const std::vector<std::pair<std::string, std::string>> shared = {
        {"Benefit records",
         "Entitlement and payment records shared by the national benefits department."},
        {"School census", "Pupil-level census data shared by the education department."},
        {"GP referrals", "Referral letters received from GP practices."},
        {"Police National Computer", "Criminal records checks, returned as a yes or no flag."},
        {"Address register", "The national address gazetteer, used to match addresses."},
        {"Companies register",
         "Public company information, including directors and filing history."}};
    for (int i = 0; i < extra; ++i) srcs.push_back(shared[rng.below(shared.size())]);
    std::set<std::string> seen;
    for (const auto& [name, description] : srcs) {
      if (!seen.insert(name).second) continue;
      Node s = Node::map();
      s.set("name", Node::str(name));
      s.set("description", Node::str(description));
      const bool external =
          rng.chance(0.15) || name == "Benefit records" || name == "School census";
      if (external) {
        s.set("external_org",
              Node::str(rng.pick(Strings{
                  "Department for Social Security", "Department for Education", "Home Office",
                  "HM Land Registry", "NHS England", "Ordnance Survey", "Companies House"})));
        s.set("sharing_agreement", Node::str(b.reference(org.id, "DSA")));
      }
      sources.items.push_back(std::move(s));
    }
  }
  data.set("representativeness", b.text(representativeness_texts(), 1, 2, c));
  data.set("retention", b.text(retention_texts(), 1, 1, c));

  // Supplier: external for about half.
  const bool external = third_party || rng.chance(0.4);
  Node& sup = r.set("supplier", Node::map());
  sup.set("external", Node::boolean(external));
  if (external) {
    sup.set("name", Node::str(c.supplier));
    sup.set("companies_house_number", Node::str(b.companies_house_number()));
    sup.set("role", Node::str(rng.pick(supplier_roles())));
    sup.set("data_access_terms", Node::str(rng.pick(data_terms_texts())));
    const bool trains = rng.chance(0.1);
    sup.set("trains_on_customer_data", Node::boolean(trains));
    if (trains) {
      sup.set("training_justification",
              Node::str("Only de-identified outputs are used, to correct errors in our own "
                        "deployment; agreed in the DPIA."));
    }
  }

  Node& gov = r.set("governance", Node::map());
  Node& appr = gov.set("approval", Node::map());
  appr.set("body", Node::str(rng.pick(Strings{
                       "Digital Programme Board", "Data Ethics Board", "Executive Leadership Team",
                       "AI Assurance Board", "Information Governance Committee",
                       "Clinical Safety and Digital Board", "Chief Officer Group"})));
  appr.set("date", b.date(before_start(5, 120)));
  gov.set("review_cycle_months", Node::integer(rng.pick(std::vector<int>{3, 6, 6, 12, 12, 12})));

  Node& perf = r.set("performance", Node::map());
  Node& metrics = perf.set("metrics", Node::seq());
  {
    const auto pick = rng.sample(uc.metrics.size(), static_cast<std::size_t>(rng.range(1, 2)));
    for (const std::size_t i : pick) {
      Node m = Node::map();
      m.set("name", Node::str(uc.metrics[i]));
      if (rng.chance(0.5))
        m.set("value", Node::real(0.5 + rng.unit() * 0.49, 2));
      else
        m.set("value", Node::str(std::to_string(rng.range(3, 98)) + "%"));
      metrics.items.push_back(std::move(m));
    }
  }
  perf.set("evaluated_on", b.date(recent(300)));
  perf.set("monitoring_frequency",
           Node::str(rng.pick(Strings{"continuous", "weekly", "monthly", "quarterly"})));

  // Bias testing: one to three tests; the first before start, the last within the year.
  Node& bias = r.set("bias", Node::map());
  Node& tests = bias.set("testing", Node::seq());
  {
    const double u = rng.unit();
    const int n = u < 0.5 ? 1 : u < 0.85 ? 2 : 3;
    std::vector<int> dates;
    dates.push_back(before_start(3, 60));
    for (int i = 1; i < n; ++i)
      dates.push_back(std::max(dates.back() + 30, recent(340) - (n - 1 - i) * 60));
    if (phase == "production") {
      if (dates.back() < A - 340) dates.push_back(recent(300));
    }
    const bool core = rng.chance(0.7);
    for (const int d : dates) {
      Node t = Node::map();
      t.set("date", b.date(std::min(d, A)));
      t.set("method", b.text(bias_method_texts(), 1, 1, c));
      Strings chars;
      if (core) chars = {"age", "disability", "race", "sex"};
      for (const std::size_t i : rng.sample(protected_characteristics().size(),
                                            static_cast<std::size_t>(rng.range(core ? 0 : 1, 3)))) {
        if (!contains(chars, protected_characteristics()[i]))
          chars.push_back(protected_characteristics()[i]);
      }
      t.set("protected_characteristics", b.strings(chars));
      Node& results = t.set("results", Node::seq());
      for (const std::size_t i :
           rng.sample(chars.size(), static_cast<std::size_t>(rng.range(0, 2)))) {
        Node res = Node::map();
        const double threshold = rng.chance(0.5) ? 0.8 : 0.9;
        const double value = 0.7 + rng.unit() * 0.35;
        res.set("characteristic", Node::str(chars[i]));
        res.set("metric", Node::str(rng.pick(metric_names())));
        res.set("value", Node::real(value, 2));
        res.set("threshold", Node::real(threshold, 1));
        res.set("passed", Node::boolean(value >= threshold));
        results.items.push_back(std::move(res));
      }
      if (results.items.empty()) t.erase("results");
      t.set("tester", Node::str(fill(rng, rng.pick(testers()), c)));
      tests.items.push_back(std::move(t));
    }
    bias.set(
        "monitoring_frequency",
        Node::str(rng.pick(Strings{"continuous", "monthly", "monthly", "quarterly", "weekly"})));
    if (!core) {
      bias.set("coverage_justification",
               Node::str(rng.pick(
                   Strings{"The data holds no reliable disability or ethnicity information; we "
                           "tested age and sex and use complaint monitoring for the rest.",
                           "Not all characteristics could be tested because the service does not "
                           "collect them. Outcomes are monitored by postcode as a proxy.",
                           "The tool does not make or inform decisions about individuals in a way "
                           "that could differ by group; a light-touch test was done."})));
    }
  }
  r.set("equality", Node::map())
      .set("eqia", Node::map())
      .set("completed_on", b.date(before_start(5, 150)));

  // Security.
  Node& sec = r.set("security", Node::map());
  sec.set("threat_model", Node::map()).set("completed_on", b.date(recent(330)));
  Node& st = sec.set("testing", Node::seq());
  {
    Strings types = {rng.pick(Strings{"pentest", "pentest", "red_team", "adversarial"})};
    if (genai) types.push_back(rng.pick(Strings{"prompt_injection", "red_team"}));
    if (rng.chance(0.3)) types.push_back(rng.pick(security_tests()));
    for (const auto& t : types) {
      Node test = Node::map();
      test.set("type", Node::str(t));
      test.set("date", b.date(recent(330)));
      test.set("tester", Node::str(fill(rng, rng.pick(testers()), c)));
      test.set("open_critical_findings", Node::integer(0));
      st.items.push_back(std::move(test));
    }
  }
  sec.set("supply_chain_assessment", b.text(supply_chain_texts(), 1, 1, c));
  sec.set("model_card",
          Node::str(third_party ? "https://" + slugify(c.supplier) + ".example/model-card"
                                : "Model documentation held by the " + c.team +
                                      " team, reference " + b.reference(org.id, "MC")));
  sec.set("incident_response_plan", b.text(incident_texts(), 1, 1, c));
  sec.set("monitoring", Node::map()).set("enabled", Node::boolean(true));
  sec.set("staff_ai_training", Node::boolean(true));
  sec.set("asset_inventory", Node::boolean(true));
  sec.set("disposal_plan", b.text(disposal_texts(), 1, 1, c));
  const bool fraud_area = mission == "welfare-and-benefits" || mission == "tax-and-revenue";
  const std::string fraud_risk = fraud_area ? rng.pick(Strings{"medium", "high"})
                                            : rng.pick(Strings{"low", "low", "medium", "high"});
  sec.set("fraud_risk", Node::str(fraud_risk));
  if (fraud_area || fraud_risk == "high" || rng.chance(0.3))
    sec.set("fraud_controls", b.text(fraud_control_texts(), 1, 2, c));

  r.set("logging", Node::map())
      .set("retention_days", Node::integer(rng.pick(std::vector<int>{183, 365, 365, 730, 2190})));

  // Withheld fields: most records none; police, tax and benefits records often some.
  Node& withheld = r.set("withheld", Node::seq());
  const bool secretive = org.type == "police-force" || fraud_area || mission == "defence";
  if (rng.chance(secretive ? 0.6 : 0.1)) {
    static const Strings fields = {"security.model_card",          "deployment.scale",
                                   "performance.metrics",          "supplier.name",
                                   "data.sources[1].external_org", "security.testing[0].tester"};
    for (const std::size_t i :
         rng.sample(fields.size(), static_cast<std::size_t>(rng.range(1, 3)))) {
      Node w = Node::map();
      w.set("field", Node::str(fields[i]));
      w.set("reason", Node::str(rng.pick(withheld_reasons())));
      withheld.items.push_back(std::move(w));
    }
  } else if (rng.chance(0.5)) {
    r.erase("withheld");
  }
  if (rng.chance(0.1)) {
    Node& ext = r.set("extensions", Node::map());
    Node& local = ext.set("local_notes", Node::map());
    local.set("internal_ticket", Node::str(b.reference(org.id, "AI")));
    local.set("evaluation_report_due", b.date(A + rng.range(30, 400)));
    local.set("steering_group_members", Node::integer(rng.range(3, 12)));
  }
  return g;
}

// A partial record imported from another register: the sections the source has, provenance and
// the source's extra fields under extensions.
void make_imported(Builder& b, Generated& g) {
  Rng& rng = b.rng;
  Node& r = g.root;
  struct Source {
    std::string slug, key, prefix, url;
  };
  static const std::vector<Source> sources = {
      {"us-omb-2025", "us_omb_2025", "DOJ-", "https://ai.example.gov/inventory/"},
      {"nl-algoritmeregister", "nl_algoritmeregister", "NL-",
       "https://algoritmes.example.nl/algoritme/"},
      {"uk-atrs", "uk_atrs", "atrs-", "https://www.gov.uk/algorithmic-transparency-records/"}};
  const Source& s = sources[rng.below(sources.size())];
  Node& rec = *r.at("record");
  rec.set("completeness", Node::str("partial"));
  Node& prov = rec.set("provenance", Node::map());
  prov.set("source", Node::str(s.slug));
  const std::string source_id = s.prefix + std::to_string(rng.range(10, 9999));
  prov.set("source_id", Node::str(source_id));
  prov.set("source_url", Node::str(s.url + source_id));
  prov.set("imported_on", b.date(b.as_of - rng.range(0, 200)));
  // Keep what registers publish; drop the evidence Candor asks for beyond them.
  for (const char* path : {"safeguards", "impact", "eu_ai_act", "equality", "governance",
                           "performance", "bias", "security", "logging", "withheld", "privacy",
                           "supplier.data_access_terms", "supplier.trains_on_customer_data",
                           "human_oversight.training", "data.representativeness", "extensions"}) {
    if (rng.chance(0.85)) r.erase(path);
  }
  for (const char* path :
       {"contact.url", "redress", "purpose.alternatives_considered", "data", "personal_data",
        "transparency", "deployment.scale", "organisation.sro_role"}) {
    if (rng.chance(0.4)) r.erase(path);
  }
  if (rng.chance(0.3)) r.erase("phase");
  Node& ext = r.set("extensions", Node::map());
  Node& e = ext.set(s.key, Node::map());
  if (s.key == "us_omb_2025") {
    e.set("use_case_id", Node::str(source_id));
    e.set("stage_of_development",
          Node::str(rng.pick(Strings{"Operation and Maintenance", "Acquisition and/or Development",
                                     "Initiated", "Implementation and Assessment"})));
    e.set("topic_area",
          Node::str(rng.pick(Strings{"Law and Justice", "Health and Medical", "Government Services",
                                     "Energy and the Environment", "Mission-Enabling"})));
    e.set("rights_or_safety_impacting",
          Node::str(rng.pick(Strings{"Neither", "Rights-Impacting", "Both"})));
    e.set("has_ato", Node::str(rng.pick(Strings{"Yes", "No"})));
  } else if (s.key == "nl_algoritmeregister") {
    e.set("lars_code", Node::str(std::to_string(rng.range(10000000, 99999999))));
    e.set("status",
          Node::str(rng.pick(Strings{"In gebruik", "In ontwikkeling", "Buiten gebruik"})));
    e.set("impacttoetsen", Node::str(rng.pick(Strings{"DPIA, IAMA", "DPIA", "Geen"})));
    e.set("begin_datum", b.date(b.as_of - rng.range(100, 2000)));
  } else {
    e.set("tier", Node::integer(rng.range(1, 2)));
    e.set("atrs_version", Node::str("3.0"));
    e.set("benefits_summary", Node::str(rng.pick(benefit_texts())));
  }
}

// Defects: each makes one or more rules of the pack fail, and keeps the record schema-valid.
using Defect = void (*)(Builder&, Node&);

const std::vector<std::pair<const char*, Defect>>& defects() {
  static const std::vector<std::pair<const char*, Defect>> v = {
      {"TRN-001 no team",
       [](Builder& b, Node& r) {
         r.erase(b.rng.chance(0.5) ? "organisation.team" : "organisation.sro_role");
       }},
      {"TRN-002 short description",
       [](Builder&, Node& r) {
         if (Node* t = r.at("tool"))
           t->set("description_public",
                  Node::str(r.at("tool.name")->value + " helps staff with their work."));
       }},
      {"TRN-002 long description",
       [](Builder& b, Node& r) {
         Node* d = r.at("tool.description_public");
         if (!d) return;
         Context c{r.at("tool.name")->value,
                   r.at("organisation.name")->value,
                   "staff",
                   "",
                   "Digital Services",
                   "Northshire",
                   "",
                   ""};
         while (d->value.size() < 2050) {
           d->value += ' ';
           d->value += prose(b.rng, description_sentences(), 2, 4, c);
         }
         if (d->value.size() > 4900) d->value.resize(d->value.rfind('.', 4900) + 1);
       }},
      {"TRN-003 no contact",
       [](Builder& b, Node& r) { r.erase(b.rng.chance(0.5) ? "contact.email" : "redress"); }},
      {"TRN-004 no phase", [](Builder&, Node& r) { r.erase("phase"); }},
      {"TRN-005 no ATRS link", [](Builder&, Node& r) { r.erase("transparency.atrs_record_url"); }},
      {"TRN-006 stale review",
       [](Builder& b, Node& r) {
         if (Node* rec = r.at("record"))
           rec->set("last_reviewed", b.date(b.as_of - b.rng.range(400, 1400)));
       }},
      {"TRN-007 vague process",
       [](Builder& b, Node& r) {
         if (Node* d = r.at("decision"))
           d->set("process_integration",
                  Node::str(b.rng.pick(
                      Strings{"Used by staff.", "Part of the normal process.", "See the DPIA."})));
       }},
      {"TRN-008 no data sources",
       [](Builder& b, Node& r) {
         Node* s = r.at("data.sources");
         if (!s) return;
         if (b.rng.chance(0.4))
           s->items.clear();
         else
           s->items.back().erase("description");
       }},
      {"TRN-009 bad company number",
       [](Builder& b, Node& r) {
         Node* s = r.at("supplier");
         if (!s) return;
         s->set("external", Node::boolean(true));
         if (!s->has("name")) s->set("name", Node::str(b.rng.pick(supplier_names())));
         s->set("companies_house_number",
                Node::str(
                    b.rng.pick(Strings{"1234567", "sc123456", "0123 4567", "unknown", "SC12345"})));
       }},
      {"TRN-010 no AI disclosure",
       [](Builder& b, Node& r) {
         Node* t = r.at("transparency");
         if (!t) return;
         r.set("interacts_with_public", Node::boolean(true));
         if (b.rng.chance(0.5))
           t->set("ai_disclosure", Node::boolean(false));
         else
           t->erase("ai_disclosure");
       }},
      {"GOV-002 no alternatives",
       [](Builder&, Node& r) { r.erase("purpose.alternatives_considered"); }},
      {"GOV-003 approval after start",
       [](Builder& b, Node& r) {
         Node* a = r.at("governance.approval");
         Node* s = r.at("deployment.start_date");
         int start = 0;
         if (!a || !s || !parse_date(s->value, start)) return;
         if (b.rng.chance(0.5))
           a->set("date", b.date(start + b.rng.range(1, 60)));
         else
           a->erase("body");
       }},
      {"GOV-004 long review cycle",
       [](Builder& b, Node& r) {
         if (Node* g = r.at("governance"))
           g->set("review_cycle_months",
                  Node::integer(b.rng.pick(std::vector<int>{18, 24, 36, 60})));
       }},
      {"GOV-005 stale evaluation",
       [](Builder& b, Node& r) {
         Node* p = r.at("performance");
         if (!p) return;
         if (b.rng.chance(0.6))
           p->set("evaluated_on", b.date(b.as_of - b.rng.range(400, 1000)));
         else
           p->set("monitoring_frequency", Node::str("none"));
       }},
      {"PRV-001 processing not stated",
       [](Builder&, Node& r) { r.erase("personal_data.processed"); }},
      {"PRV-002 no lawful basis",
       [](Builder&, Node& r) {
         if (Node* p = r.at("personal_data")) {
           p->set("processed", Node::boolean(true));
           p->erase("lawful_basis");
         }
       }},
      {"PRV-003 DPIA after start",
       [](Builder& b, Node& r) {
         Node* d = r.at("privacy.dpia");
         Node* s = r.at("deployment.start_date");
         int start = 0;
         if (!d || !s || !parse_date(s->value, start)) return;
         d->set("completed_on", b.date(start + b.rng.range(1, 90)));
       }},
      {"PRV-004 legitimate interests",
       [](Builder&, Node& r) {
         Node* p = r.at("personal_data");
         if (p && r.at("organisation.public_authority")->value == "true") {
           p->set("processed", Node::boolean(true));
           p->set("lawful_basis", Node::str("legitimate_interests"));
         }
       }},
      {"PRV-005 DPO not consulted",
       [](Builder&, Node& r) {
         if (Node* d = r.at("privacy.dpia")) d->set("dpo_consulted", Node::boolean(false));
       }},
      {"PRV-006 no Art 9 condition",
       [](Builder& b, Node& r) {
         Node* p = r.at("personal_data");
         if (!p || r.at("personal_data.lawful_basis") == nullptr) return;
         Node cats = Node::seq(true);
         cats.items.push_back(Node::str(b.rng.pick(Strings{"health", "biometric", "ethnicity"})));
         p->set("special_category", cats);
         p->erase("art9_condition");
       }},
      {"PRV-007 no privacy notice", [](Builder&, Node& r) { r.erase("privacy.notice_url"); }},
      {"PRV-008 no retention", [](Builder&, Node& r) { r.erase("data.retention"); }},
      {"PRV-009 supplier trains on data",
       [](Builder& b, Node& r) {
         Node* s = r.at("supplier");
         if (!s || s->at("external")->value != "true") return;
         if (b.rng.chance(0.5)) s->erase("data_access_terms");
         s->set("trains_on_customer_data", Node::boolean(true));
         s->erase("training_justification");
       }},
      {"PRV-010 no sharing agreement",
       [](Builder& b, Node& r) {
         Node* s = r.at("data.sources");
         if (!s || s->items.empty()) return;
         Node& src = s->items[b.rng.below(s->items.size())];
         src.set("external_org", Node::str("Department for Social Security"));
         src.erase("sharing_agreement");
       }},
      {"REG-001 missing safeguards",
       [](Builder& b, Node& r) {
         Node* d = r.at("decision");
         if (!d) return;
         d->set("role", Node::str("decides"));
         d->set("solely_automated", Node::boolean(true));
         d->set("significant_effect", Node::boolean(true));
         if (Node* h = r.at("human_oversight"))
           h->set("final_decision_by_human", Node::boolean(false));
         Node& s = r.set("safeguards", Node::map());
         for (const char* k : {"informed", "representations", "human_intervention", "contest"}) {
           if (b.rng.chance(0.6)) s.set(k, Node::boolean(b.rng.chance(0.5)));
         }
       }},
      {"REG-003 short log retention",
       [](Builder& b, Node& r) {
         Node* ai = r.at("eu_ai_act");
         if (!ai) return;
         ai->set("applicable", Node::boolean(true));
         ai->set("high_risk", Node::boolean(true));
         r.set("logging", Node::map())
             .set("retention_days", Node::integer(b.rng.pick(std::vector<int>{30, 90, 182})));
       }},
      {"REG-004 not in EU database",
       [](Builder&, Node& r) {
         Node* ai = r.at("eu_ai_act");
         if (!ai) return;
         ai->set("applicable", Node::boolean(true));
         ai->set("high_risk", Node::boolean(true));
         ai->erase("eu_database_id");
         if (Node* o = r.at("organisation")) o->set("public_authority", Node::boolean(true));
       }},
      {"REG-005 no FRIA",
       [](Builder&, Node& r) {
         Node* ai = r.at("eu_ai_act");
         if (!ai) return;
         ai->set("applicable", Node::boolean(true));
         ai->set("high_risk", Node::boolean(true));
         if (ai->at("annex_iii_area")->value == "none" ||
             ai->at("annex_iii_area")->value == "critical_infrastructure") {
           ai->set("annex_iii_area", Node::str("essential_services"));
         }
         ai->erase("fria");
       }},
      {"REG-006 subjects not informed",
       [](Builder&, Node& r) {
         if (Node* t = r.at("transparency")) t->set("subjects_informed", Node::boolean(false));
       }},
      {"REG-007 no classification rationale",
       [](Builder&, Node& r) {
         Node* ai = r.at("eu_ai_act");
         if (!ai) return;
         ai->set("applicable", Node::boolean(true));
         ai->set("high_risk", Node::boolean(false));
         ai->erase("classification_rationale");
       }},
      {"REG-008 no impact level", [](Builder&, Node& r) { r.erase("impact"); }},
      {"REG-009 no human at level 3",
       [](Builder& b, Node& r) {
         if (Node* i = r.at("impact")) i->set("level", Node::integer(b.rng.range(3, 4)));
         if (Node* h = r.at("human_oversight"))
           h->set("final_decision_by_human", Node::boolean(false));
       }},
      {"BIA-001 not tested before start",
       [](Builder& b, Node& r) {
         Node* t = r.at("bias.testing");
         if (t && !t->items.empty() && b.rng.chance(0.5))
           t->items.erase(t->items.begin());
         else
           r.erase("bias.testing");
       }},
      {"BIA-002 bias tests old",
       [](Builder& b, Node& r) {
         Node* t = r.at("bias.testing");
         if (!t) return;
         int d = b.as_of - b.rng.range(400, 900);
         for (auto it = t->items.rbegin(); it != t->items.rend(); ++it, d -= b.rng.range(30, 200))
           it->set("date", b.date(d));
       }},
      {"BIA-003 narrow coverage",
       [](Builder& b, Node& r) {
         Node* t = r.at("bias.testing");
         if (!t) return;
         for (Node& test : t->items) {
           Node chars = Node::seq(true);
           chars.items.push_back(Node::str(b.rng.pick(Strings{"sex", "age"})));
           test.set("protected_characteristics", chars);
           test.erase("results");
         }
         r.erase("bias.coverage_justification");
       }},
      {"BIA-004 no EqIA", [](Builder&, Node& r) { r.erase("equality"); }},
      {"BIA-005 weak oversight",
       [](Builder& b, Node& r) {
         Node* h = r.at("human_oversight");
         if (!h) return;
         if (b.rng.chance(0.5))
           h->set("can_override", Node::boolean(false));
         else
           h->erase("training");
       }},
      {"BIA-006 representativeness vague",
       [](Builder&, Node& r) {
         if (Node* d = r.at("data")) d->set("representativeness", Node::str("Not assessed yet."));
       }},
      {"BIA-007 rare bias monitoring",
       [](Builder& b, Node& r) {
         if (Node* x = r.at("bias"))
           x->set("monitoring_frequency",
                  Node::str(b.rng.pick(Strings{"six-monthly", "annually", "none"})));
       }},
      {"SEC-001 stale threat model",
       [](Builder& b, Node& r) {
         if (Node* t = r.at("security.threat_model"))
           t->set("completed_on", b.date(b.as_of - b.rng.range(400, 1100)));
       }},
      {"SEC-002 old security tests",
       [](Builder& b, Node& r) {
         Node* t = r.at("security.testing");
         if (!t) return;
         for (Node& test : t->items) test.set("date", b.date(b.as_of - b.rng.range(380, 1000)));
       }},
      {"SEC-003 open critical findings",
       [](Builder& b, Node& r) {
         Node* t = r.at("security.testing");
         if (!t || t->items.empty()) return;
         t->items[b.rng.below(t->items.size())].set("open_critical_findings",
                                                    Node::integer(b.rng.range(1, 4)));
       }},
      {"SEC-004 no model card",
       [](Builder& b, Node& r) {
         r.erase(b.rng.chance(0.5) ? "security.model_card" : "security.supply_chain_assessment");
       }},
      {"SEC-005 no monitoring",
       [](Builder& b, Node& r) {
         if (b.rng.chance(0.5))
           r.erase("security.incident_response_plan");
         else if (Node* m = r.at("security.monitoring"))
           m->set("enabled", Node::boolean(false));
       }},
      {"SEC-006 no fraud controls",
       [](Builder&, Node& r) {
         if (Node* s = r.at("security")) {
           s->set("fraud_risk", Node::str("high"));
           s->erase("fraud_controls");
         }
       }},
      {"SEC-007 no asset inventory",
       [](Builder& b, Node& r) {
         Node* s = r.at("security");
         if (!s) return;
         const int which = b.rng.range(0, 2);
         if (which == 0)
           s->set("asset_inventory", Node::boolean(false));
         else if (which == 1)
           s->set("staff_ai_training", Node::boolean(false));
         else
           s->erase("disposal_plan");
       }},
      {"section missing",
       [](Builder& b, Node& r) {
         r.erase(b.rng.pick(Strings{"bias", "security", "privacy", "equality", "performance",
                                    "governance", "supplier", "human_oversight", "purpose", "data",
                                    "contact", "transparency", "eu_ai_act"}));
       }},
  };
  return v;
}

// ---------------------------------------------------------------------------------------------

struct Options {
  long long count = 0;
  std::string out;
  std::uint64_t seed = 20260401;
  std::string as_of = "2026-11-26";
  bool quote_dates = true;
};

int usage(const char* why) {
  std::cerr << "candor_gen_records: " << why << "\n"
            << "usage: candor_gen_records --count N --out DIR [--seed S] [--as-of YYYY-MM-DD] "
               "[--plain-dates]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    if (a == "--count") {
      const char* v = value();
      if (!v) return usage("--count needs a number");
      opt.count = std::atoll(v);
    } else if (a == "--out") {
      const char* v = value();
      if (!v) return usage("--out needs a directory");
      opt.out = v;
    } else if (a == "--seed") {
      const char* v = value();
      if (!v) return usage("--seed needs a number");
      opt.seed = std::strtoull(v, nullptr, 10);
    } else if (a == "--as-of") {
      const char* v = value();
      if (!v) return usage("--as-of needs a date");
      opt.as_of = v;
    } else if (a == "--plain-dates") {
      opt.quote_dates = false;
    } else if (a == "--help" || a == "-h") {
      usage("writes N varied, schema-valid candor.record/v1 records, one YAML file each");
      return 0;
    } else {
      return usage(("unknown argument " + a).c_str());
    }
  }
  if (opt.count <= 0 || opt.count > 1000000) return usage("--count must be between 1 and 1000000");
  if (opt.out.empty()) return usage("--out is required");
  int as_of = 0;
  if (!parse_date(opt.as_of, as_of)) return usage("--as-of must be a date written YYYY-MM-DD");

  std::error_code ec;
  fs::create_directories(opt.out, ec);
  if (ec) {
    std::cerr << "candor_gen_records: cannot create " << opt.out << ": " << ec.message() << "\n";
    return 2;
  }
  for (const auto& e : fs::directory_iterator(opt.out)) {
    if (e.path().extension() == ".yaml") {
      std::cerr << "candor_gen_records: " << opt.out
                << " already holds .yaml files; give an empty directory\n";
      return 2;
    }
  }

  Rng rng(opt.seed);
  Builder b{rng, as_of, opt.quote_dates};

  // Organisations: about one for every six records, every type, unique ids.
  const std::size_t n_orgs = static_cast<std::size_t>(std::max<long long>(40, opt.count / 6));
  std::vector<Organisation> orgs;
  std::set<std::string> org_ids;
  for (std::size_t i = 0; orgs.size() < n_orgs && i < n_orgs * 20; ++i) {
    Organisation o = make_org(rng, org_types()[i % org_types().size()]);
    if (!org_ids.insert(o.id).second) continue;
    orgs.push_back(std::move(o));
  }
  std::vector<std::size_t> by_weight;
  for (std::size_t i = 0; i < orgs.size(); ++i) {
    for (int w = 0; w < orgs[i].weight; ++w) by_weight.push_back(i);
  }

  std::map<std::string, std::set<std::string>> record_ids;  // per organisation
  std::map<std::string, int> by_org_type, by_mission, by_phase, by_tool_type;
  long long compliant = 0, imported = 0, defective = 0, total_defects = 0;
  std::size_t bytes = 0, min_bytes = SIZE_MAX, max_bytes = 0;
  const auto& cases = use_cases();

  for (long long i = 0; i < opt.count; ++i) {
    // The first records walk every type and enumeration value, so that every one occurs.
    const Organisation* org = nullptr;
    if (i < static_cast<long long>(org_types().size())) {
      for (const auto& o : orgs) {
        if (o.type == org_types()[static_cast<std::size_t>(i)]) {
          org = &o;
          break;
        }
      }
    }
    if (!org) org = &orgs[by_weight[rng.below(by_weight.size())]];
    std::string mission = rng.chance(0.85) ? rng.pick(org->areas) : rng.pick(mission_areas());
    if (i < 40) mission = mission_areas()[static_cast<std::size_t>(i) % mission_areas().size()];
    std::vector<const UseCase*> fit;
    for (const auto& uc : cases) {
      if (contains(uc.areas, mission)) fit.push_back(&uc);
    }
    const UseCase& uc = (fit.empty() || rng.chance(0.08)) ? cases[rng.below(cases.size())]
                                                          : *fit[rng.below(fit.size())];
    std::string tool_type = rng.chance(0.9)
                                ? (rng.chance(0.7) ? uc.types.front() : rng.pick(uc.types))
                                : rng.pick(tool_types());
    if (i < 40) tool_type = tool_types()[static_cast<std::size_t>(i) % tool_types().size()];
    const double p = rng.unit();
    std::string phase = p < 0.08   ? "idea"
                        : p < 0.18 ? "pre-deployment"
                        : p < 0.38 ? "pilot"
                        : p < 0.92 ? "production"
                                   : "retired";
    if (i < 40) phase = phases()[static_cast<std::size_t>(i) % phases().size()];

    std::string id = slugify(uc.name);
    if (rng.chance(0.3)) id = slugify(rng.pick(places())).append("-").append(id);
    for (int k = 2; record_ids[org->id].count(id); ++k) {
      id = slugify(uc.name);
      id += '-';
      id += std::to_string(k);
    }
    record_ids[org->id].insert(id);

    const double q = rng.unit();
    const Profile profile = q < 0.2   ? Profile::compliant
                            : q < 0.3 ? Profile::imported
                                      : Profile::defective;
    Generated g = build_record(b, *org, uc, mission, phase, tool_type, id, profile);
    if (profile == Profile::imported) {
      make_imported(b, g);
      ++imported;
    } else if (profile == Profile::defective) {
      const auto& ds = defects();
      int k = 1;
      while (k < 8 && rng.chance(0.55)) ++k;
      for (const std::size_t d : rng.sample(ds.size(), static_cast<std::size_t>(k)))
        ds[d].second(b, g.root);
      g.defects = k;
      total_defects += k;
      ++defective;
    } else {
      ++compliant;
    }
    if (const Node* ph = g.root.at("phase"))
      g.phase = ph->value;
    else
      g.phase = "(none)";

    std::string text = "# Generated by candor_gen_records (seed " + std::to_string(opt.seed) +
                       ", as of " + opt.as_of + "), record " + std::to_string(i + 1) + " of " +
                       std::to_string(opt.count) + ".\n# Profile: ";
    text += profile == Profile::compliant
                ? "written to pass every uk-public-sector rule at that date.\n"
            : profile == Profile::imported
                ? "a partial record imported from another register.\n"
                : std::to_string(g.defects) + (g.defects == 1 ? " defect.\n" : " defects.\n");
    emit_map(g.root, 0, text, false);

    const fs::path file = fs::path(opt.out) / (org->id + "--" + id + ".yaml");
    std::ofstream f(file, std::ios::binary);
    f << text;
    if (!f) {
      std::cerr << "candor_gen_records: cannot write " << file.string() << "\n";
      return 2;
    }
    bytes += text.size();
    min_bytes = std::min(min_bytes, text.size());
    max_bytes = std::max(max_bytes, text.size());
    ++by_org_type[org->type];
    ++by_mission[mission];
    ++by_phase[g.phase];
    ++by_tool_type[tool_type];
  }

  std::set<std::string> used_orgs;
  for (const auto& [org, ids] : record_ids) used_orgs.insert(org);
  char summary[512];
  std::snprintf(
      summary, sizeof summary,
      "candor_gen_records: wrote %lld records to %s: %.1f MB, %.1f-%.1f KB a file (mean %.1f KB)\n "
      " %zu organisations of %zu types, %zu mission areas, %zu phases (with none), %zu tool "
      "types\n  %lld written to pass every rule, %lld imported partial, %lld with defects (%.1f on "
      "average)\n",
      opt.count, opt.out.c_str(), static_cast<double>(bytes) / 1e6,
      static_cast<double>(min_bytes) / 1024, static_cast<double>(max_bytes) / 1024,
      static_cast<double>(bytes) / 1024 / static_cast<double>(opt.count), used_orgs.size(),
      by_org_type.size(), by_mission.size(), by_phase.size(), by_tool_type.size(), compliant,
      imported, defective,
      defective ? static_cast<double>(total_defects) / static_cast<double>(defective) : 0.0);
  std::cout << summary;
  return 0;
}
